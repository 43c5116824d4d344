import type { FastifyInstance } from 'fastify';

/**
 * Deepest nesting of objects and arrays a JSON body may have. The deepest body the API takes is a few
 * levels (calendar overrides: object → array → object); 32 leaves room for any honest client. A body
 * nested thousands deep would otherwise reach the parser, the transformer and the validator, whose
 * recursion ends in a stack overflow (a 500) after the work has been spent.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether JSON text nests objects and arrays more than `limit` deep, counted in one pass over the raw text
 * before anything is parsed; brackets inside strings do not count. Malformed text is not judged here (it
 * answers false once the nesting goes negative): the parser rejects it anyway, at the first bad character.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index += 1;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth -= 1;
      if (depth < 0) return false;
    }
  }
  return false;
}

/** A 4xx the problem filter turns into problem+json like Fastify's own body errors. */
class JsonTooDeepError extends Error {
  readonly statusCode = 400;
  constructor() {
    super(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  }
}

/**
 * The one parser for application/json bodies (the Nest application is created with bodyParser: false):
 * the depth check, then Fastify's own parser, which keeps its answers for an empty body and for bad JSON
 * and its refusal of `__proto__` and `constructor.prototype` keys. The body-size limit applies before either.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string; // parseAs: 'string'
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(new JsonTooDeepError(), undefined);
      return;
    }
    // Fastify's default parser is the callback kind (it answers through `done` and returns nothing); the type
    // also admits promise-returning parsers, hence `void`.
    void parse(request, text, done);
  });
}
