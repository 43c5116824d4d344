import { queryRows } from './db';
import { waitFor } from './wait';

/** Waits until the admins have been told a clock step needs a year no holiday notice covers (DESIGN §5). */
export async function waitForYearNotCoveredAlert(timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'the admins to be told the year is missing',
    async () =>
      (
        await queryRows<{ n: number }>(
          `SELECT count(*)::int AS n FROM notifications WHERE kind = 'calendar-year-not-covered' AND recipient_role = 'admin'`,
        )
      )[0].n > 0,
    timeoutMs,
  );
}
