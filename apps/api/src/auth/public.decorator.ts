import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';
/** Marks a route that needs no access token. Everything else requires one (deny by default). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
