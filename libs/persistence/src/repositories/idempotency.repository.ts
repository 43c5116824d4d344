import { DataSource } from 'typeorm';
import { returnedRows } from './sql';

export type IdempotencyClaim =
  | { state: 'new' }
  | { state: 'done'; status: number; response: unknown }
  | { state: 'in-progress' }
  | { state: 'mismatch' };

export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Claims (userId, key) for this request, or reports what an earlier request with the same key left. */
  async claim(userId: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, requestHash],
    );
    if (returnedRows(inserted).length > 0) return { state: 'new' };
    const [row] = (await this.dataSource.query(
      'SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    )) as Array<{ request_hash: string; status: number | null; response: unknown }>;
    if (!row) return this.claim(userId, key, requestHash); // released in between: try again
    if (row.request_hash !== requestHash) return { state: 'mismatch' };
    return row.status === null
      ? { state: 'in-progress' }
      : { state: 'done', status: row.status, response: row.response };
  }

  async complete(userId: string, key: string, status: number, response: unknown): Promise<void> {
    await this.dataSource.query(
      'UPDATE idempotency_keys SET status = $3, response = $4 WHERE user_id = $1 AND key = $2',
      [userId, key, status, JSON.stringify(response ?? null)],
    );
  }

  /** The request failed: forget the key so a retry runs again. */
  async release(userId: string, key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL', [
      userId,
      key,
    ]);
  }
}
