import { callWorkflowId } from '@county/workflows';
import { queryRows, useStack, waitForCall, waitForYearNotCoveredAlert } from '@county/test-kit';

/**
 * A call's clock in working days reaching a year no holiday notice covers (the table ends with 2026 and no
 * test loads a later year): level 2 lies 30 working days after the response limit, level 3 31, so their
 * instants cannot be computed (fail closed, DESIGN §5). The reminder (ISO offset) and level 1 before them
 * must still fire on time — before the call clock ran lazily (patched 'lazy-call-clock') the whole schedule
 * was computed first, and nothing fired at all.
 */
const CALL_POLICY = {
  normal: { respondWithin: 'PT4S', resolveWithin: 'PT4S' },
  urgent: { respondWithin: 'PT4S', resolveWithin: 'PT4S' },
  remindBefore: ['PT2S'],
  escalateAfter: [
    { after: 'PT0S', level: 1 },
    { after: { workdays: 30 }, level: 2 },
    { after: { workdays: 31 }, level: 3 },
  ],
  autoCloseAfter: 'PT600S',
};

describe('a call whose later escalations fall in a year without a holiday notice', () => {
  let callId: string | undefined;
  const stack = useStack({
    worker: true,
    apiEnv: { CALL_POLICY: JSON.stringify(CALL_POLICY) },
    users: ['chengguan.staff', 'chengguan.head', 'transport.staff', 'transport.head', 'supervisor'],
    histories: () => ({ 'call-lazy-clock': callId && callWorkflowId(callId) }),
  });

  const ladder = async (id: string) =>
    (
      await queryRows<{ kind: string; unit: string; role: string | null }>(
        `SELECT kind, recipient_unit_id AS unit, recipient_role AS role FROM notifications
          WHERE subject_id = $1 AND (kind LIKE 'escalation-%' OR kind = 'call-reminder') ORDER BY created_at`,
        [id],
      )
    ).map((row) => `${row.kind}→${row.unit}${row.role ? `/${row.role}` : ''}`);

  it('still reminds and escalates to level 1 on time in each phase; level 2 waits for the notice', async () => {
    const { calls } = stack;
    const raised = await calls.raise('chengguan.staff', 'transport');
    expect(raised.status).toBe(201);
    const id = raised.body.id;
    callId = id;

    // Respond phase: the ISO reminder and level 1 fire although level 2 cannot be computed yet.
    await waitForCall('the response limit passed: level 1', id, (row) => row.escalation_level === 1, 30_000);
    expect(await ladder(id)).toEqual(['call-reminder→transport', 'escalation-level-1→transport/head']);
    const escalations = await queryRows<{ level: number }>('SELECT level FROM escalations WHERE subject_id = $1', [id]);
    expect(escalations.map((row) => row.level)).toEqual([1]);
    await waitForYearNotCoveredAlert();

    // Responding interrupts the computation still waiting for the notice; the resolve clock runs the same way.
    expect((await calls.act('transport.staff', id, 'respond')).body.status).toBe('responded');
    await waitForCall('the resolution limit passed: level 1', id, (row) => row.escalation_level === 1, 30_000);
    expect(await ladder(id)).toEqual([
      'call-reminder→transport',
      'escalation-level-1→transport/head',
      'call-reminder→transport',
      'escalation-level-1→transport/head',
    ]);

    expect((await calls.act('transport.head', id, 'resolve', { resolution: '已处理' })).body.status).toBe('resolved');
    const evaluated = await calls.act('chengguan.head', id, 'evaluate', { rating: 'satisfied' });
    expect(evaluated.body.status).toBe('closed');
    await stack.temporal.workflow.getHandle(callWorkflowId(id)).result();
    expect(
      (await queryRows<{ level: number }>('SELECT level FROM escalations WHERE subject_id = $1', [id])).map(
        (row) => row.level,
      ),
    ).toEqual([1, 1]);
  });
});
