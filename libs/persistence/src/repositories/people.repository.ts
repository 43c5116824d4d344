import { DataSource, EntityManager } from 'typeorm';
import { AuditEventInput, Delegation, DelegationWindow } from '@county/domain';
import { appendAuditEvent } from './audit.repository';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { isUuid } from './sql';

/** 承办人 of an assignment or a call, as it is shown: the colleague's name and phone. */
export interface HandlerRecord {
  userId: string;
  displayName: string;
  phone: string | null;
  setAt: string;
}

export type HandledTable = 'assignments' | 'calls';

/** The unit column each table's handler must belong to: an assignment's unit, a call's called unit. */
const UNIT_COLUMN: Record<HandledTable, string> = { assignments: 'unit_id', calls: 'to_unit_id' };

/** A colleague of a unit, as a handler or deputy is chosen from. */
export interface Colleague {
  id: string;
  displayName: string;
  roles: string[];
  phone: string | null;
}

/**
 * 承办人 and 委派 (issue 14). The handler is a read-model column the API writes; the workflows do not know of it
 * (see libs/domain people.ts). A handler shows only while they are an enabled user of the item's unit now.
 */
/** Colleagues by name; the username (unique) breaks ties. */
export const COLLEAGUE_KEY: KeyColumn[] = [
  { sql: 'u.display_name', kind: 'text' },
  { sql: 'u.username', kind: 'text' },
];

/** Newest first (by start, then by when it was given); the id breaks ties. */
export const DELEGATION_KEY: KeyColumn[] = [
  { sql: 'd.starts_at', kind: 'timestamp', descending: true },
  { sql: 'd.created_at', kind: 'timestamp', descending: true },
  { sql: 'd.id', kind: 'uuid', descending: true },
];

export class PeopleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The handlers of these items (ids without one are absent). */
  async handlersOf(table: HandledTable, ids: readonly string[]): Promise<Map<string, HandlerRecord>> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return new Map();
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT x.id, u.id AS user_id, u.display_name, ${PHONE} AS phone, x.handler_set_at
         FROM ${table} x JOIN users u ON u.id = x.handler_user_id
                                      AND u.unit_id = x.${UNIT_COLUMN[table]} AND NOT u.disabled
        WHERE x.id = ANY($1::uuid[])`,
      [valid],
    );
    return new Map(
      rows.map((row) => [
        row.id as string,
        {
          userId: row.user_id as string,
          displayName: row.display_name as string,
          phone: (row.phone as string | null) ?? null,
          setAt: (row.handler_set_at as Date).toISOString(),
        },
      ]),
    );
  }

  /** The ids among `ids` whose handler is `userId` (they come first in that user's 待办). */
  async handledBy(table: HandledTable, userId: string, ids: readonly string[]): Promise<Set<string>> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ${table} WHERE handler_user_id = $1 AND id = ANY($2::uuid[])`,
      [userId, valid],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Names the handler and appends the audit event in one transaction. `expectedHandlerUserId` is what the rule
   * was decided on: when another request changed the handler meanwhile, nothing is written (returns false).
   */
  async setHandler(
    table: HandledTable,
    id: string,
    userId: string,
    expectedHandlerUserId: string | null,
    audit: AuditEventInput,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const result: [unknown[], number] = await manager.query(
        `UPDATE ${table} SET handler_user_id = $2, handler_set_at = now()
          WHERE id = $1 AND handler_user_id IS NOT DISTINCT FROM $3 RETURNING id`,
        [id, userId, expectedHandlerUserId],
      );
      if (result[1] === 0) return false;
      await appendAuditEvent(manager, audit);
      return true;
    });
  }

  /**
   * The handler column as stored (what a compare-and-set compares) and as the rules see it: `effective` is null
   * when the stored user no longer is an enabled user of the item's unit.
   */
  async handlerState(table: HandledTable, id: string): Promise<{ stored: string | null; effective: string | null }> {
    if (!isUuid(id)) return { stored: null, effective: null };
    const rows: Array<{ stored: string | null; effective: string | null }> = await this.dataSource.query(
      `SELECT x.handler_user_id AS stored, u.id AS effective
         FROM ${table} x LEFT JOIN users u ON u.id = x.handler_user_id
                                          AND u.unit_id = x.${UNIT_COLUMN[table]} AND NOT u.disabled
        WHERE x.id = $1`,
      [id],
    );
    return { stored: rows[0]?.stored ?? null, effective: rows[0]?.effective ?? null };
  }

  /** The enabled users of a unit, by name. */
  async colleagues(unitId: string, page: PageRequest): Promise<Keyed<Colleague>> {
    const params: unknown[] = [unitId];
    const after = keysetAfter(COLLEAGUE_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT u.id, u.display_name, u.roles, ${PHONE} AS phone, ${keySelect(COLLEAGUE_KEY)} FROM users u
        WHERE u.unit_id = $1 AND NOT u.disabled AND ${after}
        ORDER BY ${keyOrder(COLLEAGUE_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(
      rows,
      page.limit,
      (row) => selectedKey(COLLEAGUE_KEY, row),
      (row) => ({
        id: row.id as string,
        displayName: row.display_name as string,
        roles: row.roles as string[],
        phone: (row.phone as string | null) ?? null,
      }),
    );
  }

  async createDelegation(
    input: { unitId: string; headUserId: string; deputyUserId: string } & DelegationWindow,
    audit: (delegation: Delegation) => AuditEventInput,
  ): Promise<Delegation> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO delegations (unit_id, head_user_id, deputy_user_id, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.unitId, input.headUserId, input.deputyUserId, input.startsAt, input.endsAt],
      );
      const delegation = (await this.delegations({ id: row.id }, manager)).items[0];
      await appendAuditEvent(manager, audit(delegation));
      return delegation;
    });
  }

  async revokeDelegation(id: string, audit: AuditEventInput): Promise<Delegation> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      await manager.query(`UPDATE delegations SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
      await appendAuditEvent(manager, audit);
      return (await this.delegations({ id }, manager)).items[0];
    });
  }

  async findDelegation(id: string): Promise<Delegation | null> {
    if (!isUuid(id)) return null;
    return (await this.delegations({ id })).items[0] ?? null;
  }

  /** Delegations given or received by `userId` that have not ended before `since` (newest first). */
  async delegationsOf(userId: string, since: Date): Promise<Delegation[]> {
    return (await this.delegations({ userId, since })).items;
  }

  /** The same, one keyset page at a time (GET /delegations). */
  delegationPage(userId: string, since: Date, page: PageRequest): Promise<Keyed<Delegation>> {
    return this.delegations({ userId, since }, this.dataSource.manager, page);
  }

  private async delegations(
    filter: { id?: string; userId?: string; since?: Date },
    manager: EntityManager = this.dataSource.manager,
    // Internal readers (sign-off, /me) see the newest 100, as before paging.
    page: PageRequest = { limit: 100 },
  ): Promise<Keyed<Delegation>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.id) where.push(`d.id = $${params.push(filter.id)}`);
    if (filter.userId) {
      const at = params.push(filter.userId);
      where.push(`(d.head_user_id = $${at} OR d.deputy_user_id = $${at})`);
    }
    if (filter.since) where.push(`d.ends_at > $${params.push(filter.since)} AND d.revoked_at IS NULL`);
    where.push(keysetAfter(DELEGATION_KEY, page.after, params));
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT d.*, h.display_name AS head_name, p.display_name AS deputy_name,
              (h.unit_id = d.unit_id AND 'head' = ANY(h.roles) AND NOT h.disabled) AS head_in_office,
              ${keySelect(DELEGATION_KEY)}
         FROM delegations d JOIN users h ON h.id = d.head_user_id JOIN users p ON p.id = d.deputy_user_id
        WHERE ${where.join(' AND ')} ORDER BY ${keyOrder(DELEGATION_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(
      rows,
      page.limit,
      (row) => selectedKey(DELEGATION_KEY, row),
      (row) => ({
        id: row.id as string,
        unitId: row.unit_id as string,
        headUserId: row.head_user_id as string,
        headName: row.head_name as string,
        deputyUserId: row.deputy_user_id as string,
        deputyName: row.deputy_name as string,
        startsAt: (row.starts_at as Date).toISOString(),
        endsAt: (row.ends_at as Date).toISOString(),
        revokedAt: row.revoked_at ? (row.revoked_at as Date).toISOString() : null,
        headInOffice: row.head_in_office as boolean,
      }),
    );
  }
}

/** The users' phone (migration 1764400000000, user accounts). */
const PHONE = 'u.phone';
