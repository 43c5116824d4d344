/** What the audit log records: one event per state change, append-only and hash-chained (DESIGN §3). */
export interface AuditEventInput {
  actorUserId: string | null;
  actorUnitId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  workflowId: string | null;
  payload: Record<string, unknown>;
  /**
   * Makes an append idempotent: an activity retried after a crash passes the same key (workflowId + step +
   * sequence) and gets the first event back instead of a second one.
   */
  dedupeKey?: string;
}

export interface AuditEvent extends Omit<AuditEventInput, 'dedupeKey'> {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  length: number;
  headHash: string;
  /** The first event whose hash or link does not match, when ok is false. */
  firstBrokenSeq?: number;
}

/** The chain's anchor: the prevHash of the first event. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level, so the same event always hashes the same, whatever
 * order its fields were written or stored in (jsonb reorders keys).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : value) ?? 'null';
}

/** The exact text an event's hash covers: the previous hash, then the event without its own hashes. */
export function auditHashInput(event: Omit<AuditEvent, 'hash'>): string {
  // Fields picked by name: whatever else the object carries (its own hash, say) is not covered.
  const { seq, at, actorUserId, actorUnitId, action, subjectType, subjectId, workflowId, payload } = event;
  const row = { seq, at, actorUserId, actorUnitId, action, subjectType, subjectId, workflowId, payload };
  return `${event.prevHash}${canonicalJson(row)}`;
}
