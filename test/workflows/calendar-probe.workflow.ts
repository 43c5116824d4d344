import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '@county/activities';

const { addWorkingDays } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  // One attempt: the test wants to see the failure type, not wait out the retries.
  retry: { maximumAttempts: 1 },
});

/** Test-only workflow: calls the calendar activity the way production workflows will. */
export async function calendarProbeWorkflow(from: string, workdays: number) {
  return addWorkingDays({ from, workdays });
}
