import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';
/** Marks a route that needs no access token. Everything else requires one (deny by default). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const ALLOWED_WITH_ONE_TIME_PASSWORD = 'allowedWithOneTimePassword';
/**
 * Marks a route a user signed in with a one-time password may call (changing the password, /me, logout);
 * every other route answers 403 until they have chosen their own password.
 */
export const AllowedWithOneTimePassword = () => SetMetadata(ALLOWED_WITH_ONE_TIME_PASSWORD, true);
