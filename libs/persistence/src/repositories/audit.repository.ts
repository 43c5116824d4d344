import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AUDIT_GENESIS_HASH, AuditEvent, AuditEventInput, auditHashInput, AuditVerification } from '@county/domain';
import { AuditEventEntity } from '../entities/audit-event.entity';
import { linkAttachments } from './attachment-links';
import { Keyed, keyedPage, KeyColumn, keysetAfter, named, PageRequest } from './keyset';

/** Serializes appends: each event links to the one before it, so two may not pick the same predecessor. */
const AUDIT_APPEND_LOCK_KEY = 727_002;
const VERIFY_BATCH = 1000;

/** The log's own order: its sequence number is unique, so it is the whole key. */
export const AUDIT_KEY: KeyColumn[] = [{ sql: 'event.seq', kind: 'integer' }];

export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends one event (or returns the existing one for a repeated dedupe key). */
  append(input: AuditEventInput, manager?: EntityManager): Promise<AuditEvent> {
    const run = (transaction: EntityManager) => appendAuditEvent(transaction, input);
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  async list(filter: {
    subjectType?: string;
    subjectId?: string;
    /** Events of any of these subjects (a task and its assignments make one timeline). */
    subjectIds?: string[];
    limit: number;
    afterSeq?: number;
  }): Promise<AuditEvent[]> {
    const query = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('event')
      .orderBy('event.seq', 'ASC')
      .limit(filter.limit);
    if (filter.subjectType) query.andWhere('event.subject_type = :subjectType', { subjectType: filter.subjectType });
    if (filter.subjectId) query.andWhere('event.subject_id = :subjectId', { subjectId: filter.subjectId });
    if (filter.subjectIds) query.andWhere('event.subject_id IN (:...subjectIds)', { subjectIds: filter.subjectIds });
    if (filter.afterSeq !== undefined) query.andWhere('event.seq > :afterSeq', { afterSeq: filter.afterSeq });
    return (await query.getMany()).map(toAuditEvent);
  }

  /** One page of the log in chain order (GET /audit): the keyset is the sequence number itself. */
  async page(
    filter: { subjectType?: string; subjectId?: string; afterSeq?: number },
    page: PageRequest,
  ): Promise<Keyed<AuditEvent>> {
    const query = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event');
    if (filter.subjectType) query.andWhere('event.subject_type = :subjectType', { subjectType: filter.subjectType });
    if (filter.subjectId) query.andWhere('event.subject_id = :subjectId', { subjectId: filter.subjectId });
    if (filter.afterSeq !== undefined) query.andWhere('event.seq > :afterSeq', { afterSeq: filter.afterSeq });
    query
      .andWhere(
        keysetAfter(
          AUDIT_KEY,
          page.after,
          named((name, value) => query.setParameter(name, value)),
        ),
      )
      .orderBy('event.seq', 'ASC')
      .limit(page.limit + 1);
    const rows = await query.getMany();
    return keyedPage(rows, page.limit, (row) => [Number(row.seq)], toAuditEvent);
  }

  /** Recomputes every hash and link from the start; reports the first event that does not match. */
  async verify(): Promise<AuditVerification> {
    let expectedPrev = AUDIT_GENESIS_HASH;
    let length = 0;
    let afterSeq = 0;
    for (;;) {
      const batch = await this.dataSource
        .getRepository(AuditEventEntity)
        .createQueryBuilder('event')
        .where('event.seq > :afterSeq', { afterSeq })
        .orderBy('event.seq', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      for (const row of batch) {
        const event = toAuditEvent(row);
        const broken = event.prevHash !== expectedPrev || event.hash !== hashOf(event) || event.seq !== length + 1;
        if (broken) return { ok: false, length: length + 1, headHash: expectedPrev, firstBrokenSeq: event.seq };
        expectedPrev = event.hash;
        length += 1;
        afterSeq = event.seq;
      }
      if (batch.length < VERIFY_BATCH) return { ok: true, length, headHash: expectedPrev };
    }
  }
}

/**
 * Appends inside the caller's transaction, so a change and its audit event commit (or roll back)
 * together. Holds the append lock until that transaction ends.
 */
export async function appendAuditEvent(manager: EntityManager, input: AuditEventInput): Promise<AuditEvent> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK_KEY]);
  const repository = manager.getRepository(AuditEventEntity);
  if (input.dedupeKey) {
    const existing = await repository.findOneBy({ dedupeKey: input.dedupeKey });
    if (existing) return toAuditEvent(existing);
  }
  const [head] = await repository.find({ order: { seq: 'DESC' }, take: 1 });
  const unhashed: Omit<AuditEvent, 'hash'> = {
    seq: head ? Number(head.seq) + 1 : 1,
    at: new Date().toISOString(),
    actorUserId: input.actorUserId,
    actorUnitId: input.actorUnitId,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    workflowId: input.workflowId,
    payload: input.payload,
    prevHash: head?.hash ?? AUDIT_GENESIS_HASH,
  };
  const event: AuditEvent = { ...unhashed, hash: hashOf(unhashed) };
  await repository.insert({
    ...event,
    seq: String(event.seq),
    at: new Date(event.at),
    payload: event.payload as never,
    dedupeKey: input.dedupeKey ?? null,
  });
  // 佐证材料 the event records become readable with its subject (see linkAttachments).
  await linkAttachments(manager, input);
  return event;
}

function hashOf(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(auditHashInput(event)).digest('hex');
}

function toAuditEvent(row: AuditEventEntity): AuditEvent {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actorUserId: row.actorUserId,
    actorUnitId: row.actorUnitId,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    workflowId: row.workflowId,
    payload: row.payload,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
