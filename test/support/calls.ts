/** Moved to the test kit (@county/test-kit, test/kit); this re-export keeps suites not yet converted working. */
import { callsClient as kitCallsClient, RunningApi } from '@county/test-kit';

export { callPolicy, callRow, waitForCall } from '@county/test-kit';
export type { CallBody } from '@county/test-kit';

/** The old signature: tokens logged in by the suite. (A stack's own client is `stack.calls`.) */
export const callsClient = (api: RunningApi, tokens: Record<string, string>) =>
  kitCallsClient({ baseUrl: api.baseUrl, login: async (username) => tokens[username] });
