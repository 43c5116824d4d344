import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, findUnstorableText, textLength } from '@county/domain';
import { readMultipartForm } from '../common/multipart-form';

export interface ImportForm {
  filename: string;
  bytes: Buffer;
  /** The file's sha256 (hex), computed once when the form was read. */
  sha256: string;
  policy: Record<string, unknown>;
  year: number | null;
  allowNewUnits: boolean;
  allowDuplicate: boolean;
}

const FIELDS = ['policy', 'year', 'allowNewUnits', 'allowDuplicate'] as const;
/** A plan's policy is a small JSON object (the default one is about 1,000 characters). */
export const POLICY_MAX_LENGTH = 10_000;
type FieldName = (typeof FIELDS)[number];

/**
 * Reads the multipart form of the plan endpoints: exactly one `file`, plus optional fields. Unknown fields
 * are rejected like unknown JSON properties are (400), so a typo never silently changes an import; so is a
 * field sent twice, which would leave it to chance which value counts.
 */
export async function readImportForm(
  request: FastifyRequest,
  allowed: readonly FieldName[] = FIELDS,
): Promise<ImportForm> {
  if (!request.isMultipart()) throw invalid('send the document as multipart/form-data with a "file" field');
  const form = await readMultipartForm(request);
  for (const file of form.files) {
    if (file.fieldName !== 'file')
      throw invalid(`unexpected file field "${file.fieldName}"; the document goes in "file"`);
  }
  if (form.files.length > 1) throw invalid('send exactly one file');
  const [file] = form.files;
  if (!file) throw invalid('file: 请选择要导入的任务清单文件（.txt 表格导出、.docx 或 .xlsx）');

  const fields = new Map<string, string>();
  for (const { name, value } of form.fields) {
    if (!(allowed as readonly string[]).includes(name)) {
      throw invalid(`${name}: property ${name} should not exist (allowed: file, ${allowed.join(', ')})`);
    }
    if (fields.has(name)) throw invalid(`${name}: send it once`);
    fields.set(name, value);
  }
  return {
    filename: file.filename,
    bytes: file.bytes,
    sha256: file.sha256,
    policy: parsePolicy(fields.get('policy')),
    year: parseYear(fields.get('year')),
    allowNewUnits: parseBoolean('allowNewUnits', fields.get('allowNewUnits')),
    allowDuplicate: parseBoolean('allowDuplicate', fields.get('allowDuplicate')),
  };
}

function parsePolicy(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  if (textLength(raw) > POLICY_MAX_LENGTH) throw invalid(`policy: must be at most ${POLICY_MAX_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid('policy: must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('policy: must be a JSON object');
  // JSON escapes (\u0000, \ud800) only become unstorable text once parsed.
  const unstorable = findUnstorableText(value, 'policy');
  if (unstorable) throw invalid(`${unstorable.path}: ${unstorable.problem}`);
  return value as Record<string, unknown>;
}

function parseYear(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const year = Number(raw);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw invalid(`year: 年份须为 2000 到 2100 之间的整数，收到的是${quote(raw)}`);
  return year;
}

function parseBoolean(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw invalid(`${name}: must be true or false, got ${quote(raw)}`);
}

/** A value echoed in an error: quoted, and cut short, since a field may hold up to 64 KiB. */
function quote(raw: string): string {
  const characters = [...raw];
  return characters.length > 40 ? `“${characters.slice(0, 40).join('')}…”` : `“${raw}”`;
}

function invalid(detail: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, detail);
}
