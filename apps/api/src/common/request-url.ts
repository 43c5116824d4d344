import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, unstorableTextProblem } from '@county/domain';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';

/**
 * Refuses a URL whose percent-encoding is not valid UTF-8 (e.g. `%ED%A0%80`, the bytes of a lone surrogate)
 * or that encodes a NUL. The query parser would otherwise pass such bytes on as some other, storable text,
 * so the global check of every string (StrictValidationPipe) could not see what the client really sent.
 */
export function refuseMalformedUrl(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const url = request.raw.url ?? '';
  const problemText = urlProblem(url);
  if (!problemText) return done();
  void reply
    .status(400)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(problem(400, ErrorCode.ValidationFailed, problemText));
}

function urlProblem(url: string): string | null {
  if (!url.includes('%')) return null;
  const [path, query = ''] = url.split('?', 2);
  const parts: Array<[string, string]> = [
    ...path.split('/').map((segment): [string, string] => ['path', segment]),
    ...query.split('&').flatMap((pair): Array<[string, string]> => {
      const [name, value = ''] = pair.split('=', 2);
      return [
        ['query parameter name', name],
        [decodeOrRaw(name), value],
      ];
    }),
  ];
  for (const [where, component] of parts) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(component.replace(/\+/g, ' '));
    } catch {
      return `${where}: is not valid percent-encoded UTF-8`;
    }
    const unstorable = unstorableTextProblem(decoded);
    if (unstorable) return `${where}: ${unstorable}`;
  }
  return null;
}

function decodeOrRaw(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}
