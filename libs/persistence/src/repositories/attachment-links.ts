import { EntityManager } from 'typeorm';
import type { AuditEventInput } from '@county/domain';
import { isUuid } from './sql';

/**
 * The audit event of an action that carries 佐证材料 (its payload's `attachments`, references only) links them to the
 * event's subject, in the event's own transaction: whoever may read the item may then read its files. Called by
 * appendAuditEvent, so every writer — workflow projections and the API alike — links the same way. An id with no
 * file behind it (a forged update) links nothing rather than failing the projection.
 */
export async function linkAttachments(manager: EntityManager, input: AuditEventInput): Promise<void> {
  const refs = input.payload.attachments;
  if (!Array.isArray(refs) || refs.length === 0) return;
  const ids = refs
    .map((ref) => (typeof ref === 'object' && ref !== null ? (ref as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string' && isUuid(id));
  if (ids.length === 0) return;
  await manager.query(
    `INSERT INTO attachment_links (attachment_id, subject_type, subject_id, action)
     SELECT id, $2, $3, $4 FROM attachments WHERE id = ANY($1::uuid[]) ON CONFLICT DO NOTHING`,
    [ids, input.subjectType, input.subjectId, input.action],
  );
}
