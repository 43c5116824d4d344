export { API_PREFIX, createApiDocument, createApp } from './app.factory';
export { ConfigError, DEFAULT_DEMO_PASSWORD, loadConfig } from './config';
export type { ApiConfig } from './config';
export { demoUsers } from './database/demo-users';
export { prepareDatabase } from './database/prepare-database';
export { loadDefaultPolicy, loadUnitRegistry, SEEDS_DIR } from './database/seeds';
export { createAdmin, CreateAdminRefused } from './users/create-admin';
export { USERNAME_PATTERN } from '@county/domain';
