import { DataSource } from 'typeorm';
import { AuditEventInput, ExtensionRequestStatus } from '@county/domain';
import { appendAuditEvent } from './audit.repository';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { insertNotification, isUuid, returnedRows } from './sql';
import type { AttachmentRef, NotificationInput } from '@county/domain';

export interface ExtensionRequestRecord {
  id: string;
  assignmentId: string;
  requestedDueAt: string;
  reason: string;
  /** `closed`: the assignment ended (approved, reassigned, cancelled) while the request was pending. */
  status: ExtensionRequestStatus;
  requestedBy: string;
  decidedBy: string | null;
  comment: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** 佐证材料 the unit sent with the request (references). */
  attachments: AttachmentRef[];
}

/** A request with what the supervision office needs to decide it: whose work, which task, the current deadline. */
export interface ExtensionRequestView extends ExtensionRequestRecord {
  unitId: string;
  taskId: string;
  taskNo: number;
  taskTitle: string;
  currentDueAt: string | null;
}

/** Oldest first (first asked, first decided); the id breaks ties. */
export const EXTENSION_REQUEST_KEY: KeyColumn[] = [
  { sql: 'r.created_at', kind: 'timestamp' },
  { sql: 'r.id', kind: 'uuid' },
];

export class ExtensionRequestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Null when the assignment already has a pending request (the partial unique index says so). */
  async create(
    input: {
      assignmentId: string;
      requestedDueAt: Date;
      reason: string;
      requestedBy: string;
      /** 佐证材料 for the request (the 上级文件 it waits for, say): references, recorded with its audit event. */
      attachments?: AttachmentRef[];
    },
    audit: Omit<AuditEventInput, 'payload'>,
    notification: NotificationInput,
  ): Promise<ExtensionRequestRecord | null> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO extension_requests (assignment_id, requested_due_at, reason, requested_by, attachments)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING *`,
        [
          input.assignmentId,
          input.requestedDueAt,
          input.reason,
          input.requestedBy,
          JSON.stringify(input.attachments ?? []),
        ],
      );
      const [row] = returnedRows<Record<string, unknown>>(inserted);
      if (!row) return null;
      const record = toRecord(row);
      await insertNotification(manager, notification, `extension-requested:${record.id}`);
      await appendAuditEvent(manager, {
        ...audit,
        payload: {
          extensionRequestId: record.id,
          requestedDueAt: record.requestedDueAt,
          reason: record.reason,
          ...(input.attachments?.length ? { attachments: input.attachments } : {}),
        },
      });
      return record;
    });
  }

  async find(id: string): Promise<ExtensionRequestRecord | null> {
    if (!isUuid(id)) return null;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      'SELECT * FROM extension_requests WHERE id = $1',
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Requests in one status (the board shows the pending ones), oldest first: first asked, first decided. */
  async list(status: ExtensionRequestRecord['status'], page: PageRequest): Promise<Keyed<ExtensionRequestView>> {
    const params: unknown[] = [status];
    const after = keysetAfter(EXTENSION_REQUEST_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT r.*, a.unit_id, a.due_at AS current_due_at, t.id AS task_id, t.no AS task_no, t.title AS task_title,
              ${keySelect(EXTENSION_REQUEST_KEY)}
         FROM extension_requests r JOIN assignments a ON a.id = r.assignment_id JOIN tasks t ON t.id = a.task_id
        WHERE r.status = $1 AND ${after} ORDER BY ${keyOrder(EXTENSION_REQUEST_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(
      rows,
      page.limit,
      (row) => selectedKey(EXTENSION_REQUEST_KEY, row),
      (row) => ({
        ...toRecord(row),
        unitId: row.unit_id as string,
        taskId: row.task_id as string,
        taskNo: row.task_no as number,
        taskTitle: row.task_title as string,
        currentDueAt: row.current_due_at ? (row.current_due_at as Date).toISOString() : null,
      }),
    );
  }

  /** Which of these assignments have a request waiting for a decision (they cannot ask again until it is decided). */
  async pendingFor(assignmentIds: readonly string[]): Promise<Set<string>> {
    const ids = assignmentIds.filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows: Array<{ assignment_id: string }> = await this.dataSource.query(
      'SELECT assignment_id FROM extension_requests WHERE status = $2 AND assignment_id = ANY($1::uuid[])',
      [ids, ExtensionRequestStatus.Pending],
    );
    return new Set(rows.map((row) => row.assignment_id));
  }

  /** Decides a pending request once; false if it was decided already. */
  async decide(
    id: string,
    decision: {
      status: ExtensionRequestStatus.Approved | ExtensionRequestStatus.Rejected;
      decidedBy: string;
      comment: string | null;
    },
    audit: AuditEventInput,
    notification: NotificationInput,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const updated: unknown[] = await manager.query(
        `UPDATE extension_requests SET status = $2, decided_by = $3, comment = $4, decided_at = now()
          WHERE id = $1 AND status = 'pending' RETURNING id`,
        [id, decision.status, decision.decidedBy, decision.comment],
      );
      if (returnedRows(updated).length === 0) return false;
      await insertNotification(manager, notification, `extension-decided:${id}`);
      await appendAuditEvent(manager, audit);
      return true;
    });
  }
}

function toRecord(row: Record<string, unknown>): ExtensionRequestRecord {
  const iso = (value: unknown) => (value ? (value as Date).toISOString() : null);
  return {
    id: row.id as string,
    assignmentId: row.assignment_id as string,
    requestedDueAt: iso(row.requested_due_at)!,
    reason: row.reason as string,
    status: row.status as ExtensionRequestRecord['status'],
    requestedBy: row.requested_by as string,
    decidedBy: (row.decided_by as string | null) ?? null,
    comment: (row.comment as string | null) ?? null,
    createdAt: iso(row.created_at)!,
    decidedAt: iso(row.decided_at),
    attachments: (row.attachments as AttachmentRef[] | undefined) ?? [],
  };
}
