import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ErrorCode,
  oneTimePassword,
  Role,
  unknownRole,
  User,
  userAllowedActions,
  UserItemAction,
} from '@county/domain';
import {
  isUserWriteRefusal,
  UserAccount,
  UserChangeActor,
  UserRepository,
  UserWriteRefusal,
  USER_KEY,
} from '@county/persistence';
import { pageOf, pageRequest } from '../common/pagination';
import { PasswordService } from '../auth/password.service';
import {
  CreateUserRequest,
  toUserAccountResponse,
  NotificationSettingsRequest,
  UpdateUserRequest,
  UserAccountResponse,
  UserListResponse,
  UserQuery,
  UserWithPasswordResponse,
} from './users.dto';

/**
 * User administration (issue 14): only administrators reach it (UsersController). Every change is one
 * transaction with its audit event (UserRepository); disabling a user or changing their unit or roles revokes
 * their tokens (the users trigger).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordService,
  ) {}

  async list(query: UserQuery, actor: User): Promise<UserListResponse> {
    const { unitId, role, text } = query;
    const [page, admins] = await Promise.all([
      this.users.list({ unitId, role, text, offset: query.offset ?? 0 }, pageRequest(query, USER_KEY.length)),
      this.users.countEnabledAdmins(),
    ]);
    return { ...pageOf(page, (account) => this.response(account, actor, admins)), total: page.total };
  }

  async get(id: string, actor: User): Promise<UserAccountResponse> {
    const account = await this.users.findAccount(id);
    if (!account) throw new DomainError(ErrorCode.NotFound, '用户不存在');
    return this.response(account, actor, await this.users.countEnabledAdmins());
  }

  async create(request: CreateUserRequest, actor: User): Promise<UserWithPasswordResponse> {
    const roles = checkedRoles(request.roles);
    const password = oneTimePassword(randomBytes);
    const result = await this.users.create(
      {
        username: request.username,
        displayName: request.displayName.trim(),
        unitId: request.unitId,
        roles,
        phone: request.phone ?? null,
        email: request.email ?? null,
        passwordHash: await this.passwords.hash(password),
        mustChangePassword: true,
      },
      actorOf(actor),
    );
    const account = unwrap(result, request.username);
    return { user: this.response(account, actor, await this.users.countEnabledAdmins()), oneTimePassword: password };
  }

  async update(id: string, request: UpdateUserRequest, actor: User): Promise<UserAccountResponse> {
    const result = await this.users.update(
      id,
      {
        displayName: request.displayName?.trim(),
        unitId: request.unitId,
        roles: request.roles === undefined ? undefined : checkedRoles(request.roles),
        phone: request.phone,
        email: request.email,
        disabled: request.disabled,
      },
      actorOf(actor),
    );
    return this.response(unwrap(result), actor, await this.users.countEnabledAdmins());
  }

  /** The user's own e-mail, phone and categories (their notification settings); an audit event like any change. */
  async updateNotificationSettings(user: User, request: NotificationSettingsRequest): Promise<UserAccount> {
    const result = await this.users.update(
      user.id,
      {
        phone: request.phone,
        email: request.email,
        notifyCategories:
          request.categories === undefined ? undefined : request.categories && [...new Set(request.categories)],
      },
      actorOf(user),
    );
    return unwrap(result);
  }

  async resetPassword(id: string, actor: User): Promise<UserWithPasswordResponse> {
    const password = oneTimePassword(randomBytes);
    const result = await this.users.setPassword(id, await this.passwords.hash(password), true, actorOf(actor));
    const account = unwrap(result);
    return { user: this.response(account, actor, await this.users.countEnabledAdmins()), oneTimePassword: password };
  }

  private response(account: UserAccount, actor: User, enabledAdmins: number): UserAccountResponse {
    const actions: UserItemAction[] = userAllowedActions(
      { userId: actor.id, roles: actor.roles },
      account,
      enabledAdmins,
    );
    return toUserAccountResponse(account, actions);
  }
}

function actorOf(user: User): UserChangeActor {
  return { userId: user.id, unitId: user.unitId };
}

/** Roles as sent, each one known (an unknown one is a 400 naming it), without repeats. */
function checkedRoles(roles: readonly string[]): Role[] {
  const unknown = unknownRole(roles);
  if (unknown !== null) {
    throw new DomainError(ErrorCode.ValidationFailed, `roles: 未知角色 "${unknown}"`, { unknownRole: unknown });
  }
  return [...new Set(roles)] as Role[];
}

function unwrap(result: UserAccount | UserWriteRefusal, username?: string): UserAccount {
  if (!isUserWriteRefusal(result)) return result;
  switch (result.refused) {
    case 'duplicate-username':
      throw new DomainError(ErrorCode.Conflict, `用户名 "${username ?? ''}" 已存在`, { username });
    case 'unknown-unit':
      throw new DomainError(ErrorCode.ValidationFailed, `unitId: 单位 "${result.unitId}" 不存在`, {
        unknownUnit: result.unitId,
      });
    case 'not-found':
      throw new DomainError(ErrorCode.NotFound, '用户不存在');
    case 'conflict':
      throw new DomainError(ErrorCode.Conflict, result.detail);
  }
}
