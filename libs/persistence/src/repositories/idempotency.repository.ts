import { DataSource } from 'typeorm';
import { returnedRows } from './sql';

/** An answer as it went over the wire, so a repeat can be sent the very same bytes. */
export interface StoredAnswer {
  status: number;
  /** Null for an answer without a body (204). */
  contentType: string | null;
  body: string;
}

export type IdempotencyClaim =
  { state: 'new' } | { state: 'done'; answer: StoredAnswer } | { state: 'in-progress' } | { state: 'mismatch' };

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
      'SELECT request_hash, status, content_type, response_text FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    )) as Array<{
      request_hash: string;
      status: number | null;
      content_type: string | null;
      response_text: string | null;
    }>;
    if (!row) return this.claim(userId, key, requestHash); // released in between: try again
    if (row.request_hash !== requestHash) return { state: 'mismatch' };
    return row.status === null
      ? { state: 'in-progress' }
      : {
          state: 'done',
          answer: { status: row.status, contentType: row.content_type, body: row.response_text ?? '' },
        };
  }

  async complete(userId: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.dataSource.query(
      'UPDATE idempotency_keys SET status = $3, content_type = $4, response_text = $5 WHERE user_id = $1 AND key = $2',
      [userId, key, answer.status, answer.contentType, answer.body],
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
