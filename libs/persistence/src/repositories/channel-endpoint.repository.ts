import { DataSource } from 'typeorm';
import type { AuditEventInput, ChannelKind } from '@county/domain';
import { appendAuditEvent } from './audit.repository';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { isUuid, returnedRows } from './sql';

/** A robot or webhook as an admin sees it: the secret is never answered, only whether one is set. */
export interface ChannelEndpointRecord {
  id: string;
  /** null: county-wide (a webhook for the OA or SMS gateway). */
  unitId: string | null;
  kind: ChannelKind;
  name: string;
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelEndpointInput {
  unitId: string | null;
  kind: ChannelKind;
  name: string;
  url: string;
  secret: string | null;
  enabled: boolean;
}

const COLUMNS = `id, unit_id, kind, name, url, secret IS NOT NULL AS has_secret, enabled, created_at, updated_at`;

/** County-wide endpoints (no unit) first — '' sorts before every unit id as NULLS FIRST did — then by unit. */
export const CHANNEL_ENDPOINT_KEY: KeyColumn[] = [
  { sql: "COALESCE(unit_id, '')", kind: 'text' },
  { sql: 'created_at', kind: 'timestamp' },
  { sql: 'id', kind: 'uuid' },
];

/** The 企业微信/钉钉 robots and webhooks admins configure; every change is an audit event (without the secret). */
export class ChannelEndpointRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(unitId: string | undefined, page: PageRequest): Promise<Keyed<ChannelEndpointRecord>> {
    const params: unknown[] = [unitId ?? null];
    const after = keysetAfter(CHANNEL_ENDPOINT_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${COLUMNS}, ${keySelect(CHANNEL_ENDPOINT_KEY)} FROM channel_endpoints
        WHERE ($1::text IS NULL OR unit_id = $1) AND ${after}
        ORDER BY ${keyOrder(CHANNEL_ENDPOINT_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(CHANNEL_ENDPOINT_KEY, row), toRecord);
  }

  async find(id: string): Promise<(ChannelEndpointRecord & { secret: string | null }) | undefined> {
    if (!isUuid(id)) return undefined;
    const [row]: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${COLUMNS}, secret FROM channel_endpoints WHERE id = $1`,
      [id],
    );
    return row ? { ...toRecord(row), secret: (row.secret as string | null) ?? null } : undefined;
  }

  async create(
    input: ChannelEndpointInput,
    audit: Omit<AuditEventInput, 'subjectId' | 'payload'>,
  ): Promise<ChannelEndpointRecord> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = returnedRows<Record<string, unknown>>(
        await manager.query(
          `INSERT INTO channel_endpoints (unit_id, kind, name, url, secret, enabled) VALUES ($1, $2, $3, $4, $5, $6)
           RETURNING ${COLUMNS}`,
          [input.unitId, input.kind, input.name, input.url, input.secret, input.enabled],
        ),
      );
      const record = toRecord(row);
      await appendAuditEvent(manager, { ...audit, subjectId: record.id, payload: auditPayload(record) });
      return record;
    });
  }

  async update(
    id: string,
    input: ChannelEndpointInput,
    audit: Omit<AuditEventInput, 'subjectId' | 'payload'>,
  ): Promise<ChannelEndpointRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return this.dataSource.transaction(async (manager) => {
      const [row] = returnedRows<Record<string, unknown>>(
        await manager.query(
          `UPDATE channel_endpoints SET unit_id = $2, kind = $3, name = $4, url = $5, secret = $6, enabled = $7,
                  updated_at = now()
            WHERE id = $1 RETURNING ${COLUMNS}`,
          [id, input.unitId, input.kind, input.name, input.url, input.secret, input.enabled],
        ),
      );
      if (!row) return undefined;
      const record = toRecord(row);
      await appendAuditEvent(manager, { ...audit, subjectId: id, payload: auditPayload(record) });
      return record;
    });
  }

  /** Removes an endpoint; its past deliveries keep their address, its pending ones are skipped when due. */
  async remove(id: string, audit: Omit<AuditEventInput, 'subjectId' | 'payload'>): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.dataSource.transaction(async (manager) => {
      const [row] = returnedRows<Record<string, unknown>>(
        await manager.query(`DELETE FROM channel_endpoints WHERE id = $1 RETURNING ${COLUMNS}`, [id]),
      );
      if (!row) return false;
      await appendAuditEvent(manager, { ...audit, subjectId: id, payload: auditPayload(toRecord(row)) });
      return true;
    });
  }
}

function auditPayload(record: ChannelEndpointRecord): Record<string, unknown> {
  // The URL's query may hold a robot's access token: the audit log keeps the host and path only.
  const { url, ...rest } = record;
  return { ...rest, url: url.replace(/[?#].*$/, '') };
}

function toRecord(row: Record<string, unknown>): ChannelEndpointRecord {
  return {
    id: row.id as string,
    unitId: (row.unit_id as string | null) ?? null,
    kind: row.kind as ChannelKind,
    name: row.name as string,
    url: row.url as string,
    hasSecret: row.has_secret as boolean,
    enabled: row.enabled as boolean,
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}
