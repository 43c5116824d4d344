import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, passwordProblem, User } from '@county/domain';
import {
  isUserWriteRefusal,
  LoginAttemptRepository,
  LoginLimits,
  UnitRepository,
  UserRepository,
} from '@county/persistence';
import { ApiConfig } from '../config';
import { API_CONFIG } from '../infrastructure/tokens';
import { ApiMetrics } from '../metrics/api-metrics';
import { ChangePasswordRequest, LoginRequest, LoginResponse, toLoginResponse } from './auth.dto';
import { PasswordService } from './password.service';
import { TokenService } from './token.service';

const RATE_WINDOW_SECONDS = 60;

@Injectable()
export class AuthService {
  private readonly limits: LoginLimits;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly users: UserRepository,
    private readonly units: UnitRepository,
    private readonly attempts: LoginAttemptRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly metrics: ApiMetrics,
  ) {
    this.limits = {
      windowSeconds: RATE_WINDOW_SECONDS,
      perAccount: config.loginFailuresPerMinute,
      perAddress: config.loginFailuresPerAddressPerMinute,
    };
  }

  async login(request: LoginRequest, clientKey: string): Promise<LoginResponse> {
    // A name typed or pasted with spaces around it is still that name; the limit counts it as that account.
    const username = request.username.trim();
    if (!username) throw new DomainError(ErrorCode.ValidationFailed, 'username: 请输入用户名');

    // Admitted before the password is looked at, so a locked-out account or address learns nothing from
    // further guesses; admission and the record of the attempt are one atomic step (LoginAttemptRepository).
    const admission = await this.attempts.admit(username, clientKey, this.limits);
    if (!admission.admitted) {
      this.metrics.loginFailed('rate_limited');
      const whose = admission.limitedBy === 'account' ? '该账号' : '从这个地址';
      throw new DomainError(
        ErrorCode.TooManyRequests,
        `${whose}登录失败次数过多，请 ${admission.retryAfterSeconds} 秒后再试。`,
        { retryAfterSeconds: admission.retryAfterSeconds },
      );
    }

    const user = await this.users.findByUsername(username);
    // An unknown name is checked against a dummy hash, so the answer takes as long as for a wrong password.
    const passwordMatches = await this.passwords.verify(user?.passwordHash, request.password);
    if (!user || !passwordMatches || user.disabled) {
      await this.attempts.settle(admission.attemptId, false);
      this.metrics.loginFailed('invalid_credentials');
      throw new DomainError(ErrorCode.InvalidCredentials);
    }
    await this.attempts.settle(admission.attemptId, true);
    // Attempts only matter for a minute; pruning on success keeps the table small without a cron job.
    await this.attempts.deleteOlderThan(1);

    // A hash made with older parameters (or argon2i) still verified; replace it now that the password is known.
    // The trigger counts that as a password change, so the token is issued under the version it moved to.
    let tokenVersion = user.tokenVersion;
    if (this.passwords.needsRehash(user.passwordHash)) {
      const moved = await this.users.rehashPassword(
        user.id,
        user.passwordHash,
        await this.passwords.hash(request.password),
      );
      if (moved !== null) tokenVersion = moved;
    }

    const unit = await this.units.findById(user.unitId);
    if (!unit) throw new Error(`user ${user.id} belongs to unknown unit ${user.unitId}`);
    return toLoginResponse(this.tokens.issue({ ...user, tokenVersion }), user, unit);
  }

  /**
   * POST /auth/password: the user replaces their password (a one-time password must be replaced before anything
   * else works). The new one must pass the password rules; every token issued before stops working, and the
   * answer carries a fresh one. Wrong current passwords count as failed logins (same limits, 429).
   */
  async changePassword(actor: User, request: ChangePasswordRequest, clientKey: string): Promise<LoginResponse> {
    const admission = await this.attempts.admit(actor.username, clientKey, this.limits);
    if (!admission.admitted) {
      throw new DomainError(
        ErrorCode.TooManyRequests,
        `密码错误次数过多，请 ${admission.retryAfterSeconds} 秒后再试。`,
        {
          retryAfterSeconds: admission.retryAfterSeconds,
        },
      );
    }
    const user = await this.users.findById(actor.id);
    const matches = user ? await this.passwords.verify(user.passwordHash, request.currentPassword) : false;
    await this.attempts.settle(admission.attemptId, matches);
    if (!user || !matches) throw new DomainError(ErrorCode.ValidationFailed, 'currentPassword: 当前密码不正确');

    const problem = passwordProblem(request.newPassword, user.username);
    if (problem) throw new DomainError(ErrorCode.ValidationFailed, `newPassword: ${problem}`);
    if (request.newPassword === request.currentPassword) {
      throw new DomainError(ErrorCode.ValidationFailed, 'newPassword: 新密码不能与当前密码相同');
    }
    const result = await this.users.setPassword(user.id, await this.passwords.hash(request.newPassword), false, {
      userId: user.id,
      unitId: user.unitId,
    });
    if (isUserWriteRefusal(result)) throw new DomainError(ErrorCode.Unauthenticated, '登录凭证无效，请重新登录。');
    const unit = await this.units.findById(result.unitId);
    if (!unit) throw new Error(`user ${user.id} belongs to unknown unit ${result.unitId}`);
    return toLoginResponse(this.tokens.issue(result), result, unit);
  }

  /** Every token the user holds stops working, on every device (the token version moves on). */
  async logout(user: User): Promise<void> {
    await this.users.revokeTokens(user.id);
  }
}
