import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@county/domain';
import { LoginAttemptRepository, UnitRepository, UserRepository } from '@county/persistence';
import { ApiConfig } from '../config';
import { API_CONFIG } from '../infrastructure/tokens';
import { LoginRequest, LoginResponse, toLoginResponse } from './login.dto';
import { PasswordService } from './password.service';
import { TokenService } from './token.service';

const RATE_WINDOW_SECONDS = 60;

@Injectable()
export class AuthService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly users: UserRepository,
    private readonly units: UnitRepository,
    private readonly attempts: LoginAttemptRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
  ) {}

  async login(request: LoginRequest, clientKey: string): Promise<LoginResponse> {
    // Checked before the password so that a locked-out client learns nothing from further guesses.
    const failures = await this.attempts.countRecentFailures(clientKey, RATE_WINDOW_SECONDS);
    if (failures >= this.config.loginFailuresPerMinute) {
      throw new DomainError(ErrorCode.TooManyRequests, 'Too many failed logins; wait a minute and try again.', {
        retryAfterSeconds: RATE_WINDOW_SECONDS,
      });
    }

    const user = await this.users.findByUsername(request.username);
    const passwordMatches = await this.passwords.verify(user?.passwordHash, request.password);
    if (!user || !passwordMatches || user.disabled) {
      await this.attempts.record(clientKey, request.username, false);
      throw new DomainError(ErrorCode.InvalidCredentials);
    }
    await this.attempts.record(clientKey, request.username, true);
    // Attempts only matter for a minute; pruning on success keeps the table small without a cron job.
    await this.attempts.deleteOlderThan(1);

    const unit = await this.units.findById(user.unitId);
    if (!unit) throw new Error(`user ${user.id} belongs to unknown unit ${user.unitId}`);
    return toLoginResponse(this.tokens.issue(user), user, unit);
  }
}
