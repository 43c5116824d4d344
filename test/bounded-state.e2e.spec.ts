import { Client, Connection } from '@temporalio/client';
import { TEXT_LIMITS } from '@county/domain';
import { assignmentWorkflowId } from '@county/workflows';
import { queryRows, useStack } from '@county/test-kit';

/**
 * Issue 12, finding 2: every answer used to return the assignment's whole history, so after ~140 long
 * reports the answers were ~1.9 MB and the workflow then failed with GRPC_MESSAGE_TOO_LARGE. Now the
 * workflow keeps only what it needs to decide: reports of maximum length on one assignment are all accepted
 * across continue-as-new (the history passes Temporal's size suggestion), every answer stays small, and the
 * work can still be submitted and approved. 2,000 such reports take minutes here, so `npm run bench` runs
 * them (its "progress report … of 2000" rows with --full); this suite runs enough to cross continue-as-new.
 */
const REPORTS = 250;
const MAX_ANSWER_BYTES = 64 * 1024;

describe('bounded workflow state', () => {
  const stack = useStack({ worker: true, plan: {} });

  it(`takes ${REPORTS} progress reports of maximum length on one assignment, each answer under 64 KiB, then approves it`, async () => {
    const finance = stack.plan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;
    const staff = await stack.login('finance.staff');
    const act = (action: string, body: unknown, token = staff) =>
      fetch(`${stack.baseUrl}/assignments/${finance.id}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await act('acknowledge', {})).status).toBe(200);

    const started = Date.now();
    let largest = 0;
    const failures: string[] = [];
    for (let report = 1; report <= REPORTS; report++) {
      // Maximum length, different every time (so nothing could be deduplicated away).
      const note = `${report}:`.padEnd(TEXT_LIMITS.progressNote, '进');
      const response = await act('progress', { note, percent: report % 101 });
      const body = await response.text();
      largest = Math.max(largest, Buffer.byteLength(body));
      if (response.status !== 200) failures.push(`report ${report}: ${response.status} ${body.slice(0, 200)}`);
      if (failures.length > 3) break;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `${REPORTS} reports of ${TEXT_LIMITS.progressNote} characters in ${seconds.toFixed(1)} s ` +
        `(${((seconds * 1000) / REPORTS).toFixed(1)} ms each); largest answer ${largest} bytes`,
    );
    expect(failures).toEqual([]);
    expect(largest).toBeLessThan(MAX_ANSWER_BYTES);

    const [{ reports }] = await queryRows<{ reports: number }>(
      `SELECT count(*)::int AS reports FROM audit_events WHERE subject_id = $1 AND action = 'assignment.progress'`,
      [finance.id],
    );
    expect(reports).toBe(REPORTS);

    const submitted = await act('submit', { summary: '全年工作已完成', evidence: [] });
    expect(submitted.status).toBe(200);
    const approved = await act('approve', { comment: '同意' }, await stack.login('approval.head'));
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { status: string }).status).toBe('approved');

    // The reports crossed at least one continue-as-new, each run carrying only the current state.
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    try {
      const runs: string[] = [];
      for await (const run of new Client({ connection }).workflow.list({
        query: `WorkflowId = '${assignmentWorkflowId(finance.id)}'`,
      }))
        runs.push(run.status.name);
      expect(runs.filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(1);
    } finally {
      await connection.close();
    }
  }, 600_000);
});
