import path from 'node:path';

/** The repository root (scripts/dist/*.js → ../..). */
export const ROOT = path.resolve(__dirname, '../..');
/** Local state: databases, logs. Never committed. */
export const DATA_DIR = process.env.COUNTY_DATA_DIR ?? path.join(ROOT, '.data');
/** Tools the project provisions for itself (the Temporal CLI). Never committed. */
export const TOOLS_DIR = path.join(ROOT, '.tools');
