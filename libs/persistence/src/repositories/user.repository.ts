import { DataSource, Repository } from 'typeorm';
import { appendAuditEvent } from './audit.repository';
import { Role, User } from '@county/domain';
import { UserEntity } from '../entities/user.entity';
import { isUuid } from './sql';

export interface UserWithCredentials extends User {
  passwordHash: string;
  disabled: boolean;
  /** The version an access token must carry to be accepted (see UserEntity.tokenVersion). */
  tokenVersion: number;
}

export interface NewUser {
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
  passwordHash: string;
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
  };
}
