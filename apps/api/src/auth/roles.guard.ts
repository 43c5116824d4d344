import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode, Role } from '@county/domain';
import { AuthenticatedRequest } from './current-user.decorator';
import { REQUIRED_ROLES } from './roles.decorator';

/** Function-level authorization; runs after AuthGuard, so the user's roles come from the database. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required?.length) return true;
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (user && user.roles.some((role) => required.includes(role))) return true;
    throw new DomainError(
      ErrorCode.Forbidden,
      `此操作仅限${required.map((role) => ROLE_WORDS[role] ?? role).join('、')}。`,
    );
  }
}

/** The roles as the refusal names them (the console's roleLabel says the same). */
const ROLE_WORDS: Record<Role, string> = {
  [Role.Staff]: '工作人员',
  [Role.Head]: '单位负责人',
  [Role.Supervisor]: '督查室',
  [Role.Leader]: '县领导',
  [Role.Admin]: '系统管理员',
};
