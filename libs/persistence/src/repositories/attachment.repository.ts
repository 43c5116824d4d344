import { DataSource } from 'typeorm';
import type { AttachmentContentType, AttachmentRef, AuditEventInput } from '@county/domain';
import { appendAuditEvent } from './audit.repository';
import { isUuid } from './sql';

/** One uploaded file as the read model holds it (the bytes are in the attachment store, by sha256). */
export interface AttachmentRecord extends AttachmentRef {
  uploadedBy: string;
  unitId: string;
  uploadedAt: string;
}

/** An item a file is attached to, with the units that may read that item (and so the file). */
export interface AttachmentLink {
  subjectType: string;
  subjectId: string;
  action: string;
  linkedAt: string;
  readerUnitIds: string[];
}

/** A file as the audit check sees it: what the row says, and what the chain recorded at upload. */
export interface AttachmentCheck {
  id: string;
  name: string;
  sha256: string;
  recordedSha256: string | null;
}

interface AttachmentRow {
  id: string;
  sha256: string;
  size: string;
  content_type: string;
  name: string;
  uploaded_by: string;
  unit_id: string;
  uploaded_at: Date;
}

export class AttachmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The file's row and its `attachment.uploaded` audit event (which puts its sha256 in the chain), together. */
  async record(attachment: Omit<AttachmentRecord, 'uploadedAt'>, audit: AuditEventInput): Promise<AttachmentRecord> {
    return this.dataSource.transaction(async (manager) => {
      const [row]: AttachmentRow[] = await manager.query(
        `INSERT INTO attachments (id, sha256, size, content_type, name, uploaded_by, unit_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          attachment.id,
          attachment.sha256,
          attachment.size,
          attachment.contentType,
          attachment.name,
          attachment.uploadedBy,
          attachment.unitId,
        ],
      );
      await appendAuditEvent(manager, audit);
      return toRecord(row);
    });
  }

  /** The files with these ids (an id that is not a UUID finds nothing). */
  async findByIds(ids: readonly string[]): Promise<AttachmentRecord[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const rows: AttachmentRow[] = await this.dataSource.query(`SELECT * FROM attachments WHERE id = ANY($1::uuid[])`, [
      valid,
    ]);
    return rows.map(toRecord);
  }

  /**
   * The items the file is attached to, each with the units that take part in it: an assignment's unit and its
   * task's lead units; a task's lead units and every unit with work on it; a call's two units.
   */
  async linksOf(id: string): Promise<AttachmentLink[]> {
    const rows: Array<{
      subject_type: string;
      subject_id: string;
      action: string;
      linked_at: Date;
      reader_unit_ids: string[] | null;
    }> = await this.dataSource.query(
      `SELECT l.subject_type, l.subject_id, l.action, l.linked_at,
              CASE l.subject_type
                WHEN 'assignment' THEN (SELECT array_append(t.lead_unit_ids, a.unit_id::varchar)
                                          FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.id::text = l.subject_id)
                WHEN 'task' THEN (SELECT t.lead_unit_ids || COALESCE(array_agg(a.unit_id::varchar), '{}')
                                    FROM tasks t LEFT JOIN assignments a ON a.task_id = t.id
                                   WHERE t.id::text = l.subject_id GROUP BY t.id)
                WHEN 'call' THEN (SELECT ARRAY[c.from_unit_id::varchar, c.to_unit_id::varchar]
                                    FROM calls c WHERE c.id::text = l.subject_id)
              END AS reader_unit_ids
         FROM attachment_links l WHERE l.attachment_id = $1 ORDER BY l.linked_at`,
      [id],
    );
    return rows.map((row) => ({
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      action: row.action,
      linkedAt: row.linked_at.toISOString(),
      readerUnitIds: row.reader_unit_ids ?? [],
    }));
  }

  /** The files attached to these items, by item (what a report, a resolution… carried is in its audit event). */
  async attachedTo(subjectType: string, subjectIds: readonly string[]): Promise<Map<string, AttachmentRecord[]>> {
    const found = new Map<string, AttachmentRecord[]>();
    if (subjectIds.length === 0) return found;
    const rows: Array<AttachmentRow & { subject_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT ON (l.subject_id, a.id) l.subject_id, a.* FROM attachment_links l
         JOIN attachments a ON a.id = l.attachment_id
        WHERE l.subject_type = $1 AND l.subject_id = ANY($2::text[]) ORDER BY l.subject_id, a.id`,
      [subjectType, subjectIds],
    );
    for (const row of rows) found.set(row.subject_id, [...(found.get(row.subject_id) ?? []), toRecord(row)]);
    return found;
  }

  /** Every file with the sha256 the chain recorded when it was uploaded, in batches (for /audit/verify). */
  async *checks(batchSize = 500): AsyncGenerator<AttachmentCheck[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{ id: string; name: string; sha256: string; recorded: string | null }> =
        await this.dataSource.query(
          `SELECT a.id, a.name, a.sha256, e.payload->>'sha256' AS recorded FROM attachments a
             LEFT JOIN audit_events e ON e.subject_type = 'attachment' AND e.subject_id = a.id::text
                   AND e.action = 'attachment.uploaded'
            WHERE a.id > $1 ORDER BY a.id LIMIT $2`,
          [after, batchSize],
        );
      if (rows.length === 0) return;
      yield rows.map((row) => ({ id: row.id, name: row.name, sha256: row.sha256, recordedSha256: row.recorded }));
      after = rows[rows.length - 1].id;
    }
  }
}

function toRecord(row: AttachmentRow): AttachmentRecord {
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    sha256: row.sha256,
    contentType: row.content_type as AttachmentContentType,
    uploadedBy: row.uploaded_by,
    unitId: row.unit_id,
    uploadedAt: row.uploaded_at.toISOString(),
  };
}
