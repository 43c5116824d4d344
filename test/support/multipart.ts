import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type FormPart =
  | { name: string; value: string | Buffer; contentType?: string }
  | { name: string; filename: string; bytes: Uint8Array; contentType?: string };

/**
 * A multipart/form-data body written by hand, so a test controls what fetch's FormData would choose for
 * it: the boundary, the part order, and bytes (NUL in a name or value) FormData would escape.
 */
export function multipartBody(parts: FormPart[], boundary: string): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      'filename' in part
        ? `form-data; name="${part.name}"; filename="${part.filename}"`
        : `form-data; name="${part.name}"`;
    const type = part.contentType ?? ('filename' in part ? 'application/octet-stream' : undefined);
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`,
      ),
      Buffer.from('filename' in part ? part.bytes : part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** The body exactly as received. */
  text: string;
}

/** POSTs a hand-written form and keeps the answer's exact text. */
export async function postForm(
  url: string,
  token: string,
  parts: FormPart[],
  { boundary = `----test${Math.random().toString(16).slice(2)}`, headers = {} as Record<string, string> } = {},
): Promise<RawResponse> {
  const { body, contentType } = multipartBody(parts, boundary);
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType, ...headers },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * postForm from a separate Node process. For measuring how the API copes with a large upload: in this
 * process, the test's own fetch would copy the body on the event loop the API shares with it, and the
 * test would be timing itself. A real client is never in the server's process.
 */
export async function postFormFromAnotherProcess(url: string, token: string, parts: FormPart[]): Promise<RawResponse> {
  const { body, contentType } = multipartBody(parts, `----test${Math.random().toString(16).slice(2)}`);
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'upload-')), 'body');
  await writeFile(file, body);
  const script = `
    const [url, token, contentType, file] = process.argv.slice(1);
    fetch(url, { method: 'POST', body: require('node:fs').readFileSync(file), headers: { authorization: 'Bearer ' + token, 'content-type': contentType } })
      .then(async (response) => process.stdout.write(JSON.stringify({ status: response.status, contentType: response.headers.get('content-type'), text: await response.text() })))
      .catch((error) => { console.error(error); process.exitCode = 1; });`;
  try {
    const { stdout } = await execFileAsync(process.execPath, ['-e', script, url, token, contentType, file], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const answer = JSON.parse(stdout) as { status: number; contentType: string | null; text: string };
    const headers = new Headers(answer.contentType ? { 'content-type': answer.contentType } : {});
    return { status: answer.status, headers, text: answer.text };
  } finally {
    await rm(path.dirname(file), { recursive: true, force: true });
  }
}
