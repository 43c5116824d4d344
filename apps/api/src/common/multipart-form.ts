import { createHash } from 'node:crypto';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, textLength, unstorableTextProblem } from '@county/domain';
import { MAX_DOCUMENT_BYTES } from '@county/plan-import';

/**
 * What @fastify/multipart is registered with (app.factory.ts): the routes that take forms are the plan
 * uploads, so one file up to the parser's own limit and a few small fields. Over a limit, the plugin
 * answers 413 itself, except for a field value over `fieldSize`, which it cuts short: see below.
 */
export const MULTIPART_LIMITS = {
  fileSize: MAX_DOCUMENT_BYTES,
  files: 1,
  fields: 8,
  fieldSize: 64 * 1024,
  parts: 10,
} as const;

/** A file name is stored with the plan; a real one is far shorter. */
const MAX_FILENAME_LENGTH = 255;

export interface FormField {
  name: string;
  value: string;
}

export interface FormFile {
  fieldName: string;
  filename: string;
  bytes: Buffer;
  sha256: string;
}

/** A multipart form, read completely, in the order the parts arrived. */
export interface MultipartForm {
  fields: FormField[];
  files: FormFile[];
}

const FORMS = new WeakMap<FastifyRequest, Promise<MultipartForm>>();

/**
 * Reads the request's multipart body once, within MULTIPART_LIMITS, and keeps it for the rest of the
 * request: the body is a stream, and both the Idempotency-Key check (which fingerprints the form) and the
 * route (which uses it) need it. Text that could never be stored — NUL, unpaired surrogates, a value cut
 * short at the size limit — is refused here (400 naming the field), for every form route at once.
 */
export function readMultipartForm(request: FastifyRequest): Promise<MultipartForm> {
  let form = FORMS.get(request);
  if (!form) {
    form = readParts(request);
    FORMS.set(request, form);
  }
  return form;
}

async function readParts(request: FastifyRequest): Promise<MultipartForm> {
  const form: MultipartForm = { fields: [], files: [] };
  for await (const part of request.parts()) {
    const nameProblem = unstorableTextProblem(part.fieldname);
    if (nameProblem) throw invalid(`表单字段名${nameProblem}`);
    if (part.type === 'file') {
      const bytes = await (part as MultipartFile).toBuffer();
      const filename = part.filename || 'upload';
      const problem =
        unstorableTextProblem(filename) ??
        (textLength(filename) > MAX_FILENAME_LENGTH ? `不得超过 ${MAX_FILENAME_LENGTH} 个字符` : null);
      // The field path stays first (the console maps it); the rest is for the person who chose the file.
      if (problem) throw invalid(`${part.fieldname}: 文件名${problem}`);
      form.files.push({ fieldName: part.fieldname, filename, bytes, sha256: sha256(bytes) });
    } else {
      // The plugin cuts names and values at their limits and only flags it; a cut-off value must never pass
      // as the real one.
      if (part.fieldnameTruncated) throw invalid(`a form field name is too long (${part.fieldname}…)`);
      if (part.valueTruncated) throw invalid(`${part.fieldname}: must be at most ${MULTIPART_LIMITS.fieldSize} bytes`);
      // A part sent as application/json arrives already parsed; as text it is what the client sent.
      const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
      const problem = unstorableTextProblem(value);
      if (problem) throw invalid(`${part.fieldname}: ${problem}`);
      form.fields.push({ name: part.fieldname, value });
    }
  }
  return form;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function invalid(detail: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, detail);
}
