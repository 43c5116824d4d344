/** Moved to the test kit (@county/test-kit, test/kit); this re-export keeps suites not yet converted working. */
export { recordHistories } from '@county/test-kit';
