import { SetMetadata } from '@nestjs/common';
import { Role } from '@county/domain';

export const REQUIRED_ROLES = 'requiredRoles';
/** The route is open only to users holding at least one of these roles (checked by RolesGuard). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
