import { assignmentWorkflowId } from '@county/workflows';
import { assignmentPolicy, queryRows, request, useStack, waitFor, waitForYearNotCoveredAlert } from '@county/test-kit';

/**
 * Level 2 lies 30 working days after the deadline, in a year no holiday notice covers (the holiday table ends
 * with 2026 and no test loads a later year): its instant cannot be computed (fail closed, DESIGN §5). The
 * reminder and level 1 before it must still fire.
 */
const POLICY = assignmentPolicy({ remind: 2, ladder: [0, { workdays: 30 }, { workdays: 31 }] });

describe('a deadline whose later escalations fall in a year without a holiday notice', () => {
  const stack = useStack({
    worker: true,
    users: ['supervisor'],
    plan: { policy: POLICY },
    histories: ({ assignmentOf }) => ({ 'assignment-lazy-clock': assignmentWorkflowId(assignmentOf('finance').id) }),
  });

  const finance = () => stack.assignmentOf('finance');

  it('still reminds and escalates to level 1 on time; level 2 waits for the notice and the admins are told', async () => {
    const changed = await request(stack.baseUrl, 'POST', `/tasks/${stack.plan.tasks[0].id}/deadline`, {
      token: stack.token('supervisor'),
      body: { dueAt: new Date(Date.now() + 4_000).toISOString(), reason: '测试：临近到期' },
    });
    expect(changed.status).toBe(200);
    const kinds = async () =>
      (
        await queryRows<{ kind: string }>('SELECT kind FROM notifications WHERE subject_id = $1 ORDER BY created_at', [
          finance().id,
        ])
      ).map((row) => row.kind);
    await waitFor('level 1', async () => (await kinds()).includes('escalation-level-1'), 30_000);
    expect((await kinds()).filter((kind) => kind === 'deadline-reminder')).toHaveLength(1);
    const escalations = await queryRows<{ level: number }>('SELECT level FROM escalations WHERE subject_id = $1', [
      finance().id,
    ]);
    expect(escalations.map((row) => row.level)).toEqual([1]);
    await waitForYearNotCoveredAlert();
  });
});
