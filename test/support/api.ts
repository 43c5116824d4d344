/** Moved to the test kit (@county/test-kit, test/kit); this re-export keeps suites not yet converted working. */
export { login, request, startApi } from '@county/test-kit';
export type { JsonResponse, RunningApi } from '@county/test-kit';
