import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@county/domain';

export interface ImportForm {
  filename: string;
  bytes: Buffer;
  policy: Record<string, unknown>;
  year: number | null;
  allowNewUnits: boolean;
  allowDuplicate: boolean;
}

const FIELDS = ['policy', 'year', 'allowNewUnits', 'allowDuplicate'] as const;
type FieldName = (typeof FIELDS)[number];

/**
 * Reads the multipart form of the plan endpoints: exactly one `file`, plus optional fields. Unknown fields
 * are rejected like unknown JSON properties are (400), so a typo never silently changes an import.
 */
export async function readImportForm(
  request: FastifyRequest,
  allowed: readonly FieldName[] = FIELDS,
): Promise<ImportForm> {
  if (!request.isMultipart()) throw invalid('send the document as multipart/form-data with a "file" field');
  let file: { filename: string; bytes: Buffer } | undefined;
  const fields = new Map<string, string>();
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file')
        throw invalid(`unexpected file field "${part.fieldname}"; the document goes in "file"`);
      if (file) throw invalid('send exactly one file');
      file = { filename: part.filename || 'upload', bytes: await (part as MultipartFile).toBuffer() };
    } else {
      if (!(allowed as readonly string[]).includes(part.fieldname)) {
        throw invalid(
          `${part.fieldname}: property ${part.fieldname} should not exist (allowed: file, ${allowed.join(', ')})`,
        );
      }
      fields.set(part.fieldname, String(part.value));
    }
  }
  if (!file) throw invalid('file: the task-list document (.txt table export or .docx) is required');
  return {
    ...file,
    policy: parsePolicy(fields.get('policy')),
    year: parseYear(fields.get('year')),
    allowNewUnits: parseBoolean('allowNewUnits', fields.get('allowNewUnits')),
    allowDuplicate: parseBoolean('allowDuplicate', fields.get('allowDuplicate')),
  };
}

function parsePolicy(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid('policy: must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('policy: must be a JSON object');
  return value as Record<string, unknown>;
}

function parseYear(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const year = Number(raw);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw invalid(`year: must be a whole number from 2000 to 2100, got "${raw}"`);
  return year;
}

function parseBoolean(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw invalid(`${name}: must be true or false, got "${raw}"`);
}

function invalid(detail: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, detail);
}
