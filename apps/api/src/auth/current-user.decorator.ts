import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { User } from '@county/domain';

export type AuthenticatedRequest = FastifyRequest & {
  user?: User;
  /** The user signed in with a one-time password and has not chosen their own yet. */
  mustChangePassword?: boolean;
};

/** The user the AuthGuard loaded from the database for this request. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): User => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a route without authentication');
  return user;
});
