import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, User } from '@county/domain';
import { LoginAttemptRepository, LoginLimits, UnitRepository, UserRepository } from '@county/persistence';
import { ApiConfig } from '../config';
import { API_CONFIG } from '../infrastructure/tokens';
import { LoginRequest, LoginResponse, toLoginResponse } from './auth.dto';
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
    if (!username) throw new DomainError(ErrorCode.ValidationFailed, 'username: must not be blank');

    // Admitted before the password is looked at, so a locked-out account or address learns nothing from
    // further guesses; admission and the record of the attempt are one atomic step (LoginAttemptRepository).
    const admission = await this.attempts.admit(username, clientKey, this.limits);
    if (!admission.admitted) {
      const whose = admission.limitedBy === 'account' ? 'for this account' : 'from this address';
      throw new DomainError(
        ErrorCode.TooManyRequests,
        `Too many failed logins ${whose}; try again in ${admission.retryAfterSeconds} s.`,
        { retryAfterSeconds: admission.retryAfterSeconds },
      );
    }

    const user = await this.users.findByUsername(username);
    // An unknown name is checked against a dummy hash, so the answer takes as long as for a wrong password.
    const passwordMatches = await this.passwords.verify(user?.passwordHash, request.password);
    if (!user || !passwordMatches || user.disabled) {
      await this.attempts.settle(admission.attemptId, false);
      throw new DomainError(ErrorCode.InvalidCredentials);
    }
    await this.attempts.settle(admission.attemptId, true);
    // Attempts only matter for a minute; pruning on success keeps the table small without a cron job.
    await this.attempts.deleteOlderThan(1);

    const unit = await this.units.findById(user.unitId);
    if (!unit) throw new Error(`user ${user.id} belongs to unknown unit ${user.unitId}`);
    return toLoginResponse(this.tokens.issue(user), user, unit);
  }

  /** Every token the user holds stops working, on every device (the token version moves on). */
  async logout(user: User): Promise<void> {
    await this.users.revokeTokens(user.id);
  }
}
