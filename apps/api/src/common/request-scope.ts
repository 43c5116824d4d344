import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The Idempotency-Key of the request being handled, if it has one. The workflow gateway turns it into the
 * Temporal update id, so a retried request (after a timeout, say) joins the update the first attempt
 * started instead of sending a second one.
 */
export const idempotencyScope = new AsyncLocalStorage<{ userId: string; key: string }>();
