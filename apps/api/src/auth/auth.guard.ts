import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@county/domain';
import { UnitRepository, UserRepository } from '@county/persistence';
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
    private readonly units: UnitRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new DomainError(ErrorCode.Unauthenticated, '请先登录（请求须带 "Authorization: Bearer <token>"）。');
    }
    const claims = this.tokens.verify(token);
    const user = await this.users.findById(claims.userId);
    if (!user || user.disabled) throw new DomainError(ErrorCode.Unauthenticated, '登录凭证无效，请重新登录。');
    if (user.tokenVersion !== claims.tokenVersion) {
      throw new DomainError(ErrorCode.Unauthenticated, '登录已失效（已退出登录，或账号信息有变动），请重新登录。');
    }
    // Units merged into the user's unit: their running work is read as this unit's (actsForUnit, libs/domain).
    const mergedUnitIds = await this.units.mergedInto(user.unitId);
    request.user = {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      unitId: user.unitId,
      roles: user.roles,
      ...(mergedUnitIds.length > 0 ? { mergedUnitIds } : {}),
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
