import { textLength } from './storable-text';
import { actsForUnit, hasRole, RoleHolder, Role } from './user';

/**
 * 佐证材料 (DESIGN §8 "Files"): the documents a unit's report, a consolidation, an extension request or a 乡呼县应 call
 * carries. Workflows and the audit chain hold only references (id, name, size, sha256, content type); the bytes live
 * in the attachment store (libs/storage). The limits are the product's, documented in the README.
 */
export const ATTACHMENT_LIMITS = {
  /** One file: a scanned 方案 of a few dozen pages, or a phone photo, fits with room to spare. */
  fileBytes: 20 * 1024 * 1024,
  /** Files one action (a report, a resolution…) may carry. */
  filesPerItem: 10,
  /** All the files of one action together. */
  bytesPerItem: 50 * 1024 * 1024,
  /** A file name as given (characters); longer names are refused, not cut. */
  nameLength: 255,
} as const;

/**
 * The types a 佐证材料 may have, decided from the bytes (libs/storage detectAttachmentType), never from the name:
 * PDF, OFD (GB/T 33190, the national e-document format), Word and Excel (old and new), JPEG and PNG photos.
 */
export const ATTACHMENT_TYPES = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpeg: 'image/jpeg',
  png: 'image/png',
} as const;

export type AttachmentContentType = (typeof ATTACHMENT_TYPES)[keyof typeof ATTACHMENT_TYPES];

export const ATTACHMENT_CONTENT_TYPES: readonly AttachmentContentType[] = Object.values(ATTACHMENT_TYPES);

/** Shown in the browser (an image or a PDF opens inline); the rest is downloaded. */
export function isPreviewable(contentType: string): boolean {
  return contentType === ATTACHMENT_TYPES.pdf || contentType.startsWith('image/');
}

/** What a workflow, an audit event and the read model carry of a file: never its bytes. */
export interface AttachmentRef {
  id: string;
  name: string;
  size: number;
  sha256: string;
  contentType: AttachmentContentType;
}

/** What an attachment can be attached to: the subject whose readers may download it. */
export type AttachmentSubjectType = 'assignment' | 'task' | 'call';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/;
const REF_FIELDS = ['id', 'name', 'size', 'sha256', 'contentType'];

/** Why `value` is not a list of at most `maxItems` attachment references, or null (the workflows' validators). */
export function attachmentRefsProblem(value: unknown, maxItems: number): string | null {
  if (!Array.isArray(value)) return 'must be a list';
  if (value.length > maxItems) return `must have at most ${maxItems} entries`;
  const ids = new Set<string>();
  let total = 0;
  for (const [index, item] of value.entries()) {
    const problem = attachmentRefProblem(item);
    if (problem) return `[${index}] ${problem}`;
    const ref = item as AttachmentRef;
    if (ids.has(ref.id)) return `[${index}] lists the same file twice`;
    ids.add(ref.id);
    total += ref.size;
  }
  return total > ATTACHMENT_LIMITS.bytesPerItem ? `must total at most ${ATTACHMENT_LIMITS.bytesPerItem} bytes` : null;
}

function attachmentRefProblem(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'must be an object';
  const ref = item as Record<string, unknown>;
  for (const name of Object.keys(ref)) if (!REF_FIELDS.includes(name)) return `${name}: unknown field`;
  if (typeof ref.id !== 'string' || !UUID.test(ref.id)) return 'id: must be a UUID';
  if (typeof ref.name !== 'string' || textLength(ref.name) === 0 || textLength(ref.name) > ATTACHMENT_LIMITS.nameLength)
    return `name: must be 1–${ATTACHMENT_LIMITS.nameLength} characters`;
  if (
    typeof ref.size !== 'number' ||
    !Number.isInteger(ref.size) ||
    ref.size < 1 ||
    ref.size > ATTACHMENT_LIMITS.fileBytes
  )
    return `size: must be a whole number from 1 to ${ATTACHMENT_LIMITS.fileBytes}`;
  if (typeof ref.sha256 !== 'string' || !SHA256.test(ref.sha256)) return 'sha256: must be 64 lowercase hex digits';
  if (!(ATTACHMENT_CONTENT_TYPES as readonly unknown[]).includes(ref.contentType))
    return `contentType: must be one of ${ATTACHMENT_CONTENT_TYPES.join(', ')}`;
  return null;
}

/**
 * A file name as given, made safe for a header and a file system: path separators, control characters and the
 * characters Windows forbids become `_`, leading dots and spaces go (no hidden or relative names). The store never
 * uses a name as a path (files are kept by their sha256); this is the name a download is offered under.
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|\u2028\u2029]/g, '_').replace(/^[.\s]+/, '');
  return cleaned.trim() === '' ? 'file' : cleaned;
}

/** Why the user may not download or preview an attachment, as facts from stored state. */
export interface AttachmentAccessFacts {
  /** The unit that uploaded it (its own files are always its to see). */
  uploaderUnitId: string;
  /** The units taking part in each subject the file is attached to (see attachmentReaders). */
  readerUnitIds: string[];
}

/**
 * Who may read a file: the unit that uploaded it, the units of every item it is attached to (those readers are
 * decided by the item: see the API's AttachmentsService), the supervision office and the county leadership, who see
 * every item. Another unit gets 403 — the same rule as the item itself.
 */
export function mayReadAttachment(viewer: RoleHolder, facts: AttachmentAccessFacts): boolean {
  if (hasRole(viewer, Role.Supervisor) || hasRole(viewer, Role.Leader)) return true;
  return [facts.uploaderUnitId, ...facts.readerUnitIds].some((unitId) => actsForUnit(viewer, unitId));
}

/** Whether a unit may attach a file to its own action: only files its own unit uploaded (never another unit's). */
export function mayAttach(actor: Pick<RoleHolder, 'unitId' | 'mergedUnitIds'>, uploaderUnitId: string): boolean {
  return actsForUnit(actor, uploaderUnitId);
}
