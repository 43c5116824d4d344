import { DataSource, EntityManager, Repository } from 'typeorm';
import { accountChangeProblem, AuditEventInput, Role, User } from '@county/domain';
import { UserEntity } from '../entities/user.entity';
import { appendAuditEvent } from './audit.repository';
import { Keyed, keyedPage, KeyColumn, keysetAfter, named, PageRequest } from './keyset';
import { isUuid, returnedRows, sqlState } from './sql';

export interface UserWithCredentials extends User {
  passwordHash: string;
  disabled: boolean;
  /** The version an access token must carry to be accepted (see UserEntity.tokenVersion). */
  tokenVersion: number;
  /** The password is a one-time password an administrator set; only changing it is allowed. */
  mustChangePassword: boolean;
}

/** A user as user administration shows them (no password hash). */
export interface UserAccount extends User {
  phone: string | null;
  email: string | null;
  /** The notification categories the user receives outside the app; null: all. */
  notifyCategories: string[] | null;
  disabled: boolean;
  mustChangePassword: boolean;
  tokenVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
  passwordHash: string;
  phone?: string | null;
  email?: string | null;
  mustChangePassword?: boolean;
}

/** What PATCH /users/:id (and a user's own notification settings) may change; absent fields stay as they are. */
export interface UserChanges {
  displayName?: string;
  unitId?: string;
  roles?: Role[];
  phone?: string | null;
  email?: string | null;
  notifyCategories?: string[] | null;
  disabled?: boolean;
}

export interface UserFilter {
  unitId?: string;
  role?: Role;
  /** Matched against username, display name, phone and e-mail (case-insensitive substring). */
  text?: string;
  /** Older paging, kept for clients that page by position: rows skipped after the cursor. */
  offset: number;
}

/** By username (unique); the id is there so the key has the same shape as every other list's. */
export const USER_KEY: KeyColumn[] = [
  { sql: 'user.username', kind: 'text' },
  { sql: 'user.id', kind: 'uuid' },
];

/** Why a change was refused, for the service to turn into a problem document. */
export type UserWriteRefusal =
  | { refused: 'duplicate-username' }
  | { refused: 'unknown-unit'; unitId: string }
  | { refused: 'not-found' }
  /** Disabling yourself, removing the last administrator (the detail says which, in Chinese). */
  | { refused: 'conflict'; detail: string };

/** Who made a change: recorded in its audit event. */
export interface UserChangeActor {
  userId: string | null;
  unitId: string | null;
}

export class UserRepository {
  private readonly users: Repository<UserEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  async findByUsername(username: string): Promise<UserWithCredentials | null> {
    const row = await this.users.findOneBy({ username });
    return row ? toUserWithCredentials(row) : null;
  }

  async findById(id: string): Promise<UserWithCredentials | null> {
    // A malformed id can only come from outside; answer "no such user" instead of a Postgres cast error.
    if (!isUuid(id)) return null;
    const row = await this.users.findOneBy({ id });
    return row ? toUserWithCredentials(row) : null;
  }

  async findAccount(id: string): Promise<UserAccount | null> {
    if (!isUuid(id)) return null;
    const row = await this.users.findOneBy({ id });
    return row ? toUserAccount(row) : null;
  }

  /** A page of users, by username, with the total that match the filter. */
  async list(filter: UserFilter, page: PageRequest): Promise<Keyed<UserAccount> & { total: number }> {
    const query = this.users.createQueryBuilder('user');
    if (filter.unitId) query.andWhere('user.unit_id = :unitId', { unitId: filter.unitId });
    if (filter.role) query.andWhere(':role = ANY(user.roles)', { role: filter.role });
    if (filter.text) {
      const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        '(user.username ILIKE :pattern OR user.display_name ILIKE :pattern OR user.phone ILIKE :pattern OR user.email ILIKE :pattern)',
        { pattern },
      );
    }
    const counted = query.clone();
    query
      .andWhere(
        keysetAfter(
          USER_KEY,
          page.after,
          named((name, value) => query.setParameter(name, value)),
        ),
      )
      .orderBy('user.username', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .offset(filter.offset)
      .limit(page.limit + 1);
    const [rows, total] = await Promise.all([query.getMany(), counted.getCount()]);
    return { ...keyedPage(rows, page.limit, (row) => [row.username, row.id], toUserAccount), total };
  }

  /**
   * Logout: every token issued to the user so far stops working. Returns false for an unknown user.
   * (Disabling a user or changing their unit, roles or password does the same by trigger.)
   */
  async revokeTokens(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await this.users.increment({ id }, 'tokenVersion', 1);
    return (result.affected ?? 0) > 0;
  }

  async existingUsernames(usernames: readonly string[]): Promise<Set<string>> {
    if (usernames.length === 0) return new Set();
    const rows = await this.users
      .createQueryBuilder('user')
      .select('user.username', 'username')
      .where('user.username = ANY(:usernames)', { usernames })
      .getRawMany<{ username: string }>();
    return new Set(rows.map((row) => row.username));
  }

  /** Creates users whose username is not taken yet; existing users (and their passwords) are left alone. */
  async insertMissing(users: readonly NewUser[]): Promise<number> {
    if (users.length === 0) return 0;
    const result = await this.users
      .createQueryBuilder()
      .insert()
      .values(users.map((user) => ({ ...user })))
      .orIgnore()
      .execute();
    return result.identifiers.filter(Boolean).length;
  }

  /**
   * A user created at their first single sign-on (OIDC_AUTO_CREATE), with its audit event, in one transaction.
   * Two first logins at once create one user and one event; the other finds the user.
   */
  async createBySingleSignOn(
    user: NewUser,
    via: { claim: string; issuer: string },
  ): Promise<UserWithCredentials | null> {
    await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values({ ...user })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (!id) return;
      await appendAuditEvent(manager, {
        actorUserId: null,
        actorUnitId: null,
        action: 'user.created-by-single-sign-on',
        subjectType: 'user',
        subjectId: id,
        workflowId: null,
        payload: { username: user.username, unitId: user.unitId, roles: user.roles, ...via },
      });
    });
    return this.findByUsername(user.username);
  }

  /** Creates one user and its audit event ("user.created") in one transaction. */
  async create(user: NewUser, actor: UserChangeActor): Promise<UserAccount | UserWriteRefusal> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const unitKnown = await unitExists(manager, user.unitId);
        if (!unitKnown) return { refused: 'unknown-unit', unitId: user.unitId } as const;
        const row = manager.getRepository(UserEntity).create({
          ...user,
          phone: user.phone ?? null,
          email: user.email ?? null,
          mustChangePassword: user.mustChangePassword ?? false,
        });
        const saved = await manager.getRepository(UserEntity).save(row);
        const account = toUserAccount(saved);
        await appendAuditEvent(
          manager,
          userAudit(actor, 'user.created', account.id, {
            username: account.username,
            displayName: account.displayName,
            unitId: account.unitId,
            roles: account.roles,
            phone: account.phone,
            email: account.email,
          }),
        );
        return account;
      });
    } catch (error) {
      if (sqlState(error) === '23505') return { refused: 'duplicate-username' };
      throw error;
    }
  }

  /**
   * Applies `changes` and records them ("user.updated", with before and after of each changed field). Refuses
   * what accountChangeProblem refuses (disabling yourself, leaving no enabled administrator); the enabled admins
   * are locked first, so two admins demoting each other at once cannot both succeed. Disabling, a new unit or new roles revoke every token (trigger).
   */
  async update(id: string, changes: UserChanges, actor: UserChangeActor): Promise<UserAccount | UserWriteRefusal> {
    if (!isUuid(id)) return { refused: 'not-found' };
    return this.dataSource.transaction(async (manager) => {
      const admins = await lockEnabledAdmins(manager);
      const repository = manager.getRepository(UserEntity);
      const row = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) return { refused: 'not-found' } as const;
      if (changes.unitId !== undefined && changes.unitId !== row.unitId && !(await unitExists(manager, changes.unitId)))
        return { refused: 'unknown-unit', unitId: changes.unitId } as const;

      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const key of Object.keys(changes) as (keyof UserChanges)[]) {
        const value = changes[key];
        if (value === undefined) continue;
        if (JSON.stringify(row[key]) === JSON.stringify(value)) continue;
        before[key] = row[key];
        after[key] = value;
      }
      if (Object.keys(after).length === 0) return toUserAccount(row);

      const next = { roles: changes.roles ?? row.roles, disabled: changes.disabled ?? row.disabled };
      const problem = accountChangeProblem({ userId: actor.userId ?? '' }, row, next, admins.length);
      if (problem) return { refused: 'conflict', detail: problem } as const;

      await repository.update({ id }, { ...after, updatedAt: new Date() });
      const saved = await repository.findOneByOrFail({ id });
      const account = toUserAccount(saved);
      await appendAuditEvent(
        manager,
        userAudit(actor, 'user.updated', id, {
          username: row.username,
          before,
          after,
          tokensRevoked: saved.tokenVersion !== row.tokenVersion,
        }),
      );
      return account;
    });
  }

  /**
   * Replaces the password hash ("user.password-reset" by an administrator, with a one-time password, or
   * "user.password-changed" by the user). Every token issued before stops working (trigger).
   */
  async setPassword(
    id: string,
    passwordHash: string,
    mustChangePassword: boolean,
    actor: UserChangeActor,
  ): Promise<UserAccount | UserWriteRefusal> {
    if (!isUuid(id)) return { refused: 'not-found' };
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(UserEntity);
      const row = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) return { refused: 'not-found' } as const;
      await repository.update({ id }, { passwordHash, mustChangePassword, updatedAt: new Date() });
      const saved = await repository.findOneByOrFail({ id });
      const action = mustChangePassword ? 'user.password-reset' : 'user.password-changed';
      await appendAuditEvent(manager, userAudit(actor, action, id, { username: row.username }));
      return toUserAccount(saved);
    });
  }

  /**
   * A new hash for the same password (login found one made with older parameters). The trigger cannot tell
   * this from a password change, so the user's other tokens stop working once, at this login; returns the
   * new token version for the token about to be issued, or null when the hash changed meanwhile.
   */
  async rehashPassword(id: string, oldHash: string, newHash: string): Promise<number | null> {
    const rows: { token_version: number }[] = returnedRows(
      await this.dataSource.query(
        `UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2 RETURNING token_version`,
        [id, oldHash, newHash],
      ),
    );
    return rows[0]?.token_version ?? null;
  }

  /** How many enabled users hold the admin role. */
  async countEnabledAdmins(): Promise<number> {
    return this.users
      .createQueryBuilder('user')
      .where(':role = ANY(user.roles)', { role: Role.Admin })
      .andWhere('NOT user.disabled')
      .getCount();
  }
}

async function unitExists(manager: EntityManager, unitId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM units WHERE id = $1`, [unitId]);
  return rows.length > 0;
}

/** Locks the enabled administrators' rows and returns their ids. */
async function lockEnabledAdmins(manager: EntityManager): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM users WHERE 'admin' = ANY(roles) AND NOT disabled ORDER BY id FOR UPDATE`,
  );
  return rows.map((row) => row.id);
}

function userAudit(
  actor: UserChangeActor,
  action: string,
  userId: string,
  payload: Record<string, unknown>,
): AuditEventInput {
  return {
    actorUserId: actor.userId,
    actorUnitId: actor.unitId,
    action,
    subjectType: 'user',
    subjectId: userId,
    workflowId: null,
    payload,
  };
}

function toUserWithCredentials(row: UserEntity): UserWithCredentials {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    unitId: row.unitId,
    roles: row.roles,
    passwordHash: row.passwordHash,
    disabled: row.disabled,
    tokenVersion: row.tokenVersion,
    mustChangePassword: row.mustChangePassword,
  };
}

function toUserAccount(row: UserEntity): UserAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    unitId: row.unitId,
    roles: row.roles,
    phone: row.phone,
    email: row.email,
    notifyCategories: row.notifyCategories,
    disabled: row.disabled,
    mustChangePassword: row.mustChangePassword,
    tokenVersion: row.tokenVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Whether a repository answer is a refusal rather than the account. */
export function isUserWriteRefusal(value: UserAccount | UserWriteRefusal): value is UserWriteRefusal {
  return 'refused' in value;
}
