/** Moved to the test kit (@county/test-kit, test/kit); this re-export keeps suites not yet converted working. */
export { queryRows } from '@county/test-kit';
