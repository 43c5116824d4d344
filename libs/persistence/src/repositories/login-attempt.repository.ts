import { DataSource, EntityManager, Repository } from 'typeorm';
import { LoginAttemptEntity } from '../entities/login-attempt.entity';

/** How many failed logins a minute (or whatever the window is) one account and one address may have. */
export interface LoginLimits {
  windowSeconds: number;
  perAccount: number;
  perAddress: number;
}

export type LoginAdmission =
  | { admitted: true; attemptId: string }
  | { admitted: false; limitedBy: 'account' | 'address'; retryAfterSeconds: number };

/**
 * Advisory-lock namespaces (the first key of the two-key form), so an account's lock and an address's lock
 * can never be the same lock however their names hash.
 */
const ACCOUNT_LOCK = 727_101;
const ADDRESS_LOCK = 727_102;

/**
 * Failures and open reservations within the window ($3, in seconds, in every query that uses this): an
 * attempt still being checked counts as a failure.
 */
const COUNTED = `succeeded IS NOT TRUE AND at > clock_timestamp() - make_interval(secs => $3)`;

export class LoginAttemptRepository {
  private readonly attempts: Repository<LoginAttemptEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.attempts = dataSource.getRepository(LoginAttemptEntity);
  }

  /**
   * Checks both limits and, if neither is reached, records a reservation for this attempt, as one step:
   * the account's and the address's advisory locks are held from the count to the insert, so parallel
   * attempts are admitted one after the other and exactly `perAccount` of them get through. The locks are
   * released at commit, before the (slow) password check, which happens outside; `settle` records its outcome.
   * Counted by the database clock, so every API replica applies the same window.
   */
  async admit(username: string, clientKey: string, limits: LoginLimits): Promise<LoginAdmission> {
    return this.dataSource.transaction(async (manager) => {
      // Always account first, then address: two attempts never each hold the lock the other waits for.
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ACCOUNT_LOCK, username]);
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADDRESS_LOCK, clientKey]);
      const [counts] = (await manager.query(
        `SELECT count(*) FILTER (WHERE username = $1)::int AS account, count(*) FILTER (WHERE client_key = $2)::int AS address
           FROM login_attempts WHERE (username = $1 OR client_key = $2) AND ${COUNTED}`,
        [username, clientKey, limits.windowSeconds],
      )) as Array<{ account: number; address: number }>;

      const blocked: Array<{ limitedBy: 'account' | 'address'; retryAfterSeconds: number }> = [];
      if (counts.account >= limits.perAccount) {
        blocked.push({
          limitedBy: 'account',
          retryAfterSeconds: await secondsUntilBelowLimit(manager, 'username', username, counts.account, limits),
        });
      }
      if (counts.address >= limits.perAddress) {
        blocked.push({
          limitedBy: 'address',
          retryAfterSeconds: await secondsUntilBelowLimit(manager, 'client_key', clientKey, counts.address, limits),
        });
      }
      if (blocked.length > 0) {
        // The limit that lasts longer is the one to wait for.
        return { admitted: false, ...blocked.sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0] };
      }

      const [row] = (await manager.query(
        `INSERT INTO login_attempts (client_key, username, succeeded, at) VALUES ($1, $2, NULL, clock_timestamp())
         RETURNING id`,
        [clientKey, username],
      )) as Array<{ id: string }>;
      return { admitted: true, attemptId: String(row.id) };
    });
  }

  /** Records how an admitted attempt ended; a success stops counting against the limits. */
  async settle(attemptId: string, succeeded: boolean): Promise<void> {
    await this.dataSource.query('UPDATE login_attempts SET succeeded = $2 WHERE id = $1', [attemptId, succeeded]);
  }

  /** Attempts older than the retention period carry no signal any more; keeps the table small. */
  async deleteOlderThan(days: number): Promise<void> {
    await this.attempts
      .createQueryBuilder()
      .delete()
      .where(`at < now() - make_interval(days => :days)`, { days })
      .execute();
  }
}

/**
 * Seconds until an attempt would be admitted again: once `count - limit + 1` of the counted attempts have
 * left the window, i.e. when the one at offset `count - limit` (oldest first) does. At least 1.
 */
async function secondsUntilBelowLimit(
  manager: EntityManager,
  column: 'username' | 'client_key',
  value: string,
  count: number,
  limits: LoginLimits,
): Promise<number> {
  const limit = column === 'username' ? limits.perAccount : limits.perAddress;
  const [row] = (await manager.query(
    `SELECT ceil(extract(epoch FROM at + make_interval(secs => $3) - clock_timestamp()))::int AS seconds
       FROM login_attempts WHERE ${column} = $1 AND ${COUNTED}
      ORDER BY at OFFSET $2 LIMIT 1`,
    [value, count - limit, limits.windowSeconds],
  )) as Array<{ seconds: number }>;
  return Math.max(1, Math.min(limits.windowSeconds, row?.seconds ?? limits.windowSeconds));
}
