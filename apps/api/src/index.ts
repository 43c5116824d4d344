export { API_PREFIX, createApp } from './app.factory';
export { ConfigError, DEFAULT_DEMO_PASSWORD, loadConfig } from './config';
export type { ApiConfig } from './config';
export { demoUsers } from './database/demo-users';
export { loadUnitRegistry, prepareDatabase, SEEDS_DIR } from './database/prepare-database';
