/** Moved to the test kit (@county/test-kit, test/kit); this re-export keeps suites not yet converted working. */
export { TEST_DEMO_PASSWORD } from '@county/test-kit';
