/** Moved to the test kit (@county/test-kit, test/kit); this re-export keeps suites not yet converted working. */
export { startWorker } from '@county/test-kit';
export type { RunningWorker } from '@county/test-kit';
