import { DataSource, EntityManager } from 'typeorm';
import type { DeliveryChannel, DeliveryFacts, PlannedDelivery } from '@county/domain';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { isUuid, returnedRows } from './sql';

export type DeliveryStatus = 'pending' | 'sent' | 'dead' | 'skipped';

/** A delivery as an admin sees it (dead letters, a notification's deliveries). */
export interface DeliveryRecord {
  id: string;
  notificationId: string;
  notificationTitle: string;
  notificationKind: string;
  channel: DeliveryChannel;
  recipientUserId: string | null;
  endpointId: string | null;
  address: string;
  status: DeliveryStatus;
  notBefore: string;
  attempts: number;
  retries: number;
  lastError: string | null;
  sentAt: string | null;
  updatedAt: string;
}

/** Everything one send needs, read when it is made (an endpoint disabled since planning is not sent to). */
export interface DeliveryToSend {
  id: string;
  status: DeliveryStatus;
  channel: DeliveryChannel;
  notification: {
    id: string;
    kind: string;
    title: string;
    body: string;
    createdAt: string;
    subjectType: string;
    subjectId: string;
    taskId: string | null;
    recipientUnitId: string;
    recipientUnitName: string;
    recipientRole: string | null;
  };
  /** The user's current e-mail (null if they removed it or were disabled since planning). */
  email: string | null;
  /** The endpoint, if it still exists and is enabled. */
  endpoint: { url: string; secret: string | null } | null;
}

/** Who a county-wide webhook is told about, so an SMS gateway can text the people behind a notification. */
export interface DeliveryContact {
  userId: string;
  displayName: string;
  phone: string | null;
  email: string | null;
}

/** A notification's planning: which deliveries it got (none: nothing is configured for its recipients). */
export interface PlannedNotification {
  notificationId: string;
  deliveries: number;
}

const RECORD_COLUMNS = `d.id, d.notification_id, n.title AS notification_title, n.kind AS notification_kind, d.channel,
  d.recipient_user_id, d.endpoint_id, d.address, d.status, d.not_before, d.attempts, d.retries, d.last_error, d.sent_at,
  d.updated_at`;

/**
 * The outbox (issue 15). A notification row is the outbox entry: `planned_at` says its deliveries are stored,
 * `dispatched_at` that a delivery workflow owns them. Every write is keyed (notification id, dedupe key, status
 * guards), so a dispatcher or an activity that runs twice after a crash changes nothing the second time.
 */
/**
 * The outbox list's order. updated_at changes as a delivery is retried, so a row can move between two pages
 * (it then shows again, or not at all, as with any list ordered by a changing field); the id keeps it total.
 */
export const DELIVERY_KEY: KeyColumn[] = [
  { sql: 'd.updated_at', kind: 'timestamp', descending: true },
  { sql: 'd.id', kind: 'uuid' },
];

export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Plans up to `limit` unplanned notifications, oldest first, in one transaction. SKIP LOCKED lets several
   * workers share the work: each notification is planned by exactly one of them.
   */
  async planPending(
    limit: number,
    plan: (facts: Omit<DeliveryFacts, 'emailEnabled'>) => Promise<PlannedDelivery[]>,
  ): Promise<PlannedNotification[]> {
    return this.dataSource.transaction(async (manager) => {
      const claimed: Array<{ id: string }> = await manager.query(
        `SELECT id FROM notifications WHERE planned_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      const planned: PlannedNotification[] = [];
      for (const { id } of claimed) {
        const deliveries = await plan(await factsOf(manager, id));
        for (const delivery of deliveries) await insertDelivery(manager, id, delivery);
        // Nothing to deliver: dispatched too, so no workflow is started for it.
        await manager.query(
          `UPDATE notifications SET planned_at = now(), dispatched_at = CASE WHEN $2 THEN NULL ELSE now() END
            WHERE id = $1`,
          [id, deliveries.length > 0],
        );
        planned.push({ notificationId: id, deliveries: deliveries.length });
      }
      return planned;
    });
  }

  /**
   * Planned notifications no workflow has been started for in their current round (the dispatcher crashed in
   * between, is about to start them, or an admin retried a dead letter).
   */
  async undispatched(limit: number): Promise<Array<{ notificationId: string; round: number }>> {
    const rows: Array<{ id: string; dispatch_round: number }> = await this.dataSource.query(
      `SELECT id, dispatch_round FROM notifications WHERE dispatched_at IS NULL AND planned_at IS NOT NULL
        ORDER BY created_at, id LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ notificationId: row.id, round: row.dispatch_round }));
  }

  /** The round's workflow is started (only that round: a retry that came meanwhile starts its own). */
  async markDispatched(notificationId: string, round: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET dispatched_at = now() WHERE id = $1 AND dispatch_round = $2 AND dispatched_at IS NULL`,
      [notificationId, round],
    );
  }

  /** The pending deliveries of a notification, with when each may go. */
  async pending(notificationId: string): Promise<Array<{ id: string; notBefore: Date }>> {
    const rows: Array<{ id: string; not_before: Date }> = await this.dataSource.query(
      `SELECT id, not_before FROM deliveries WHERE notification_id = $1 AND status = 'pending' ORDER BY not_before, id`,
      [notificationId],
    );
    return rows.map((row) => ({ id: row.id, notBefore: row.not_before }));
  }

  async toSend(id: string): Promise<DeliveryToSend | undefined> {
    const [row]: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT d.id, d.status, d.channel, n.id AS notification_id, n.kind, n.title, n.body, n.created_at,
              n.subject_type, n.subject_id, a.task_id, n.recipient_unit_id, un.name AS unit_name, n.recipient_role,
              CASE WHEN u.disabled THEN NULL ELSE u.email END AS email,
              e.url AS endpoint_url, e.secret AS endpoint_secret, e.enabled AS endpoint_enabled
         FROM deliveries d
         JOIN notifications n ON n.id = d.notification_id
         JOIN units un ON un.id = n.recipient_unit_id
         LEFT JOIN assignments a ON n.subject_type = 'assignment' AND a.id::text = n.subject_id
         LEFT JOIN users u ON u.id = d.recipient_user_id
         LEFT JOIN channel_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1`,
      [id],
    );
    if (!row) return undefined;
    return {
      id: row.id as string,
      status: row.status as DeliveryStatus,
      channel: row.channel as DeliveryChannel,
      notification: {
        id: row.notification_id as string,
        kind: row.kind as string,
        title: row.title as string,
        body: row.body as string,
        createdAt: (row.created_at as Date).toISOString(),
        subjectType: row.subject_type as string,
        subjectId: row.subject_id as string,
        taskId: (row.task_id as string | null) ?? null,
        recipientUnitId: row.recipient_unit_id as string,
        recipientUnitName: row.unit_name as string,
        recipientRole: row.recipient_role as string | null,
      },
      email: (row.email as string | null) ?? null,
      endpoint:
        row.endpoint_url && row.endpoint_enabled
          ? { url: row.endpoint_url as string, secret: (row.endpoint_secret as string | null) ?? null }
          : null,
    };
  }

  /** The people a notification addresses (for a county-wide webhook's payload). */
  async contacts(notificationId: string): Promise<DeliveryContact[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT u.id, u.display_name, u.phone, u.email FROM notifications n
         JOIN users u ON ${ADDRESSED_USER}
        WHERE n.id = $1 ORDER BY u.username`,
      [notificationId],
    );
    return rows.map((row) => ({
      userId: row.id as string,
      displayName: row.display_name as string,
      phone: (row.phone as string | null) ?? null,
      email: (row.email as string | null) ?? null,
    }));
  }

  /** Sent: only a pending delivery changes (a duplicate activity run after a crash leaves it as it is). */
  async markSent(id: string, attempts: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries SET status = 'sent', sent_at = now(), attempts = GREATEST(attempts, $2), last_error = NULL,
              updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, attempts],
    );
  }

  /**
   * How long the oldest notification with a delivery still pending has waited, in seconds (0: none waits). Measured
   * from the notification, so a delivery held for the quiet hours counts from when its news happened.
   */
  async oldestPendingAgeSeconds(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ age: number | null }>>(
      `SELECT EXTRACT(EPOCH FROM now() - min(n.created_at))::float8 AS age
         FROM deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE d.status = 'pending'`,
    );
    return Math.max(0, row?.age ?? 0);
  }

  /** One failed attempt (the workflow's retry policy decides whether another comes). */
  async recordFailure(id: string, attempts: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries SET attempts = GREATEST(attempts, $2), last_error = $3, updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, attempts, error.slice(0, 2000)],
    );
  }

  /** No more attempts: a dead letter (`dead`), or nothing to send to any more (`skipped`). */
  async close(id: string, status: 'dead' | 'skipped', reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries SET status = $2, last_error = $3, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, status, reason.slice(0, 2000)],
    );
  }

  /** One keyset page of the outbox: last changed first, the id breaking ties (DELIVERY_KEY). */
  async list(
    options: { status?: DeliveryStatus; notificationId?: string },
    page: PageRequest,
  ): Promise<Keyed<DeliveryRecord>> {
    const params: unknown[] = [options.status ?? null, options.notificationId ?? null];
    const after = keysetAfter(DELIVERY_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${RECORD_COLUMNS}, ${keySelect(DELIVERY_KEY)} FROM deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE ($1::text IS NULL OR d.status = $1) AND ($2::uuid IS NULL OR d.notification_id = $2) AND ${after}
        ORDER BY ${keyOrder(DELIVERY_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(DELIVERY_KEY, row), toRecord);
  }

  async find(id: string): Promise<DeliveryRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const [row]: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${RECORD_COLUMNS} FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE d.id = $1`,
      [id],
    );
    return row ? toRecord(row) : undefined;
  }

  /**
   * A dead letter back to pending, for a fresh set of attempts, sent at once (an admin asked for it, whatever the
   * hour); its notification opens a new dispatch round, which the dispatcher starts as a workflow of its own.
   * Undefined if it is not (or no longer) dead.
   */
  async retry(id: string): Promise<DeliveryRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const retried = await this.dataSource.transaction(async (manager) => {
      const [row] = returnedRows<{ notification_id: string }>(
        await manager.query(
          `UPDATE deliveries SET status = 'pending', retries = retries + 1, attempts = 0, not_before = now(),
                  updated_at = now()
            WHERE id = $1 AND status = 'dead' RETURNING notification_id`,
          [id],
        ),
      );
      if (!row) return false;
      await manager.query(
        `UPDATE notifications SET dispatch_round = dispatch_round + 1, dispatched_at = NULL WHERE id = $1`,
        [row.notification_id],
      );
      return true;
    });
    return retried ? this.find(id) : undefined;
  }
}

/** A user a notification addresses: enabled, of the recipient unit or the unit it merged into, with the role. */
const ADDRESSED_USER = `NOT u.disabled
  AND (u.unit_id = n.recipient_unit_id OR u.unit_id = (SELECT merged_into FROM units WHERE id = n.recipient_unit_id))
  AND (n.recipient_role IS NULL OR n.recipient_role = ANY(u.roles))`;

async function factsOf(manager: EntityManager, notificationId: string): Promise<Omit<DeliveryFacts, 'emailEnabled'>> {
  const [row]: Array<Record<string, unknown>> = await manager.query(
    `SELECT n.id, n.kind, n.recipient_role, n.created_at, c.urgency,
            array_remove(ARRAY[n.recipient_unit_id, ru.merged_into], NULL) AS recipient_units,
            array_remove(ARRAY[COALESCE(a.unit_id, c.to_unit_id), su.merged_into], NULL) AS subject_units
       FROM notifications n
       JOIN units ru ON ru.id = n.recipient_unit_id
       LEFT JOIN assignments a ON n.subject_type = 'assignment' AND a.id::text = n.subject_id
       LEFT JOIN calls c ON n.subject_type = 'call' AND c.id::text = n.subject_id
       LEFT JOIN units su ON su.id = COALESCE(a.unit_id, c.to_unit_id)
      WHERE n.id = $1`,
    [notificationId],
  );
  const users: Array<Record<string, unknown>> = await manager.query(
    `SELECT u.id, u.email, u.notify_categories FROM notifications n JOIN users u ON ${ADDRESSED_USER}
      WHERE n.id = $1 ORDER BY u.username`,
    [notificationId],
  );
  const recipientUnitIds = row.recipient_units as string[];
  const subjectUnitIds = row.subject_units as string[];
  const endpoints: Array<Record<string, unknown>> = await manager.query(
    `SELECT id, kind, url, unit_id FROM channel_endpoints
      WHERE enabled AND (unit_id IS NULL OR unit_id = ANY($1::text[])) ORDER BY created_at, id`,
    [[...recipientUnitIds, ...subjectUnitIds]],
  );
  return {
    notification: {
      id: row.id as string,
      kind: row.kind as string,
      recipientRole: row.recipient_role as string | null,
      createdAt: row.created_at as Date,
      callUrgency: (row.urgency as string | null) ?? null,
    },
    recipientUnitIds,
    subjectUnitIds,
    users: users.map((user) => ({
      id: user.id as string,
      email: (user.email as string | null) ?? null,
      notifyCategories: (user.notify_categories as string[] | null) ?? null,
    })),
    endpoints: endpoints.map((endpoint) => ({
      id: endpoint.id as string,
      kind: endpoint.kind as 'wecom' | 'dingtalk' | 'webhook',
      url: endpoint.url as string,
      unitId: (endpoint.unit_id as string | null) ?? null,
    })),
  };
}

async function insertDelivery(manager: EntityManager, notificationId: string, delivery: PlannedDelivery) {
  await manager.query(
    `INSERT INTO deliveries (notification_id, channel, recipient_user_id, endpoint_id, address, dedupe_key, not_before)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      notificationId,
      delivery.channel,
      delivery.recipientUserId,
      delivery.endpointId,
      delivery.address,
      delivery.dedupeKey,
      delivery.notBefore,
    ],
  );
}

function toRecord(row: Record<string, unknown>): DeliveryRecord {
  const iso = (value: unknown) => (value ? (value as Date).toISOString() : null);
  return {
    id: row.id as string,
    notificationId: row.notification_id as string,
    notificationTitle: row.notification_title as string,
    notificationKind: row.notification_kind as string,
    channel: row.channel as DeliveryChannel,
    recipientUserId: (row.recipient_user_id as string | null) ?? null,
    endpointId: (row.endpoint_id as string | null) ?? null,
    address: row.address as string,
    status: row.status as DeliveryStatus,
    notBefore: iso(row.not_before)!,
    attempts: row.attempts as number,
    retries: row.retries as number,
    lastError: (row.last_error as string | null) ?? null,
    sentAt: iso(row.sent_at),
    updatedAt: iso(row.updated_at)!,
  };
}
