import { EntityManager } from 'typeorm';
import type { NotificationInput } from '@county/domain';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from URLs; a malformed one means "not found", not a Postgres cast error (500). */
export function isUuid(id: string): boolean {
  return UUID_PATTERN.test(id);
}

/** TypeORM answers INSERT/UPDATE/DELETE … RETURNING with [rows, affectedCount] and SELECT with rows. */
export function returnedRows<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** Every notification row goes in this way: the dedupe key makes a repeated send a no-op. */
export async function insertNotification(
  manager: EntityManager,
  notification: NotificationInput,
  dedupeKey: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO notifications (recipient_unit_id, recipient_role, kind, subject_type, subject_id, title, body, dedupe_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      notification.recipientUnitId,
      notification.recipientRole,
      notification.kind,
      notification.subjectType,
      notification.subjectId,
      notification.title,
      notification.body,
      dedupeKey,
    ],
  );
}

/**
 * Why PostgreSQL refused a write for its data, or null when the error is something else (the server is
 * unreachable, a race). Data exceptions (SQLSTATE class 22: bad text encoding, out of range…) and integrity
 * violations (class 23) fail the same way however often they are retried — except a unique violation on a
 * dedupe key, which only means another attempt of the same change won the race (a retry then finds it).
 */
export function rejectedDataReason(error: unknown): string | null {
  const { code, constraint, message } = driverFields(error);
  if (typeof code !== 'string') return null;
  if (code.startsWith('22')) return `${code}: ${String(message)}`;
  if (code.startsWith('23')) {
    if (code === '23505' && typeof constraint === 'string' && constraint.includes('dedupe_key')) return null;
    return `${code}: ${String(message)}`;
  }
  return null;
}

/** The PostgreSQL SQLSTATE of a failed query (TypeORM wraps the driver's error), or null. */
export function sqlState(error: unknown): string | null {
  const { code } = driverFields(error);
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

function driverFields(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return {};
  return ((error as { driverError?: Record<string, unknown> }).driverError ?? error) as Record<string, unknown>;
}
