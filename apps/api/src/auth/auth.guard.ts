import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@county/domain';
import { UserRepository } from '@county/persistence';
import { AuthenticatedRequest } from './current-user.decorator';
import { ALLOWED_WITH_ONE_TIME_PASSWORD, IS_PUBLIC } from './public.decorator';
import { TokenService } from './token.service';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(). The user is loaded from
 * the database on every request, so authorization always works from stored state, not token claims, and
 * a token issued under an older token version (before a logout, a role or unit change, disabling) is refused.
 * A user still on a one-time password reaches only the routes marked @AllowedWithOneTimePassword().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UserRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Send the access token as "Authorization: Bearer <token>".');
    }
    const claims = this.tokens.verify(token);
    const user = await this.users.findById(claims.userId);
    if (!user || user.disabled) throw new DomainError(ErrorCode.Unauthenticated, 'The access token is not valid.');
    if (user.tokenVersion !== claims.tokenVersion) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'The access token was revoked (signed out, or the account changed); sign in again.',
      );
    }
    request.user = {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      unitId: user.unitId,
      roles: user.roles,
    };
    request.mustChangePassword = user.mustChangePassword;
    if (user.mustChangePassword) {
      const allowed = this.reflector.getAllAndOverride<boolean>(ALLOWED_WITH_ONE_TIME_PASSWORD, [
        context.getHandler(),
        context.getClass(),
      ]);
      if (!allowed) {
        throw new DomainError(
          ErrorCode.Forbidden,
          '您使用的是一次性密码，请先修改密码（POST /auth/password）再继续操作。',
          {
            passwordChangeRequired: true,
          },
        );
      }
    }
    return true;
  }
}
