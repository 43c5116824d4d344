import {
  LEVEL_1_AT_DEADLINE,
  ImportedPlan,
  policyField,
  queryRows,
  twoTaskList,
  useStack,
  waitFor,
} from '@county/test-kit';

/** Task 1 with a deadline; task 2's 完成时限 is text the parser does not understand. */
const LIST = twoTaskList('按上级要求');
/** Level 1 the moment a deadline passes; levels 2 and 3 well after the test. */
const POLICY = LEVEL_1_AT_DEADLINE;

interface UnknownDeadlines {
  tasks: Array<{ no: number; title: string; deadlineText: string }>;
  message: string;
}
const TASK_2 = { no: 2, title: '规范代办服务流程', deadlineText: '按上级要求' };

/**
 * A 完成时限 the parser did not understand (issue 13) used to leave its task without any clock, with only an English
 * warning at import. The import now names such tasks, the supervision office is alerted once, and the office's
 * deadline change gives the task its clock.
 */
describe('unknown deadline text: named at import, the supervision office alerted, and a deadline set later', () => {
  const stack = useStack({ worker: true, users: ['supervisor'] });
  let plan: ImportedPlan & { unknownDeadlines: UnknownDeadlines | null };

  it('the preview and the import answer name the tasks, in Chinese', async () => {
    const form = new FormData();
    form.append('file', new Blob([LIST]), 'plan.txt');
    const preview = await fetch(`${stack.api.baseUrl}/plans/preview`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${stack.token('supervisor')}` },
    });
    expect(preview.status).toBe(200);
    const previewed = (await preview.json()) as { unknownDeadlines: UnknownDeadlines | null };
    expect(previewed.unknownDeadlines?.tasks).toEqual([TASK_2]);
    expect(previewed.unknownDeadlines?.message).toContain('第2项（完成时限“按上级要求”）');
    expect(previewed.unknownDeadlines?.message).toContain('请督查室为其设定完成时限');

    plan = (await stack.importAndStart(LIST, policyField(POLICY))) as typeof plan;
    expect(plan.unknownDeadlines?.tasks).toEqual([TASK_2]);
    expect(plan.unknownDeadlines?.message).toMatch(/^1 项任务的完成时限无法识别/);
  });

  it('alerts the supervision office once per import: one notification and one audit event', async () => {
    const audits = await queryRows<{ payload: { tasks: unknown[] } }>(
      `SELECT payload FROM audit_events WHERE subject_type = 'plan' AND subject_id = $1 AND action = 'plan.deadlines-unknown'`,
      [plan.id],
    );
    expect(audits.map((event) => event.payload.tasks)).toEqual([[TASK_2]]);
    type Inbox = { items: Array<{ kind: string; subjectId: string; title: string; body: string }> };
    const notifications = await stack.as<Inbox>('supervisor', 'GET', '/notifications?limit=200');
    expect(notifications.status).toBe(200);
    const alerts = notifications.body.items.filter(
      (item) => item.kind === 'plan-deadlines-unknown' && item.subjectId === plan.id,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0].title).toContain('1 项任务未设完成时限');
    expect(alerts[0].body).toContain('按上级要求');
    // A unit's staff is not the one to set it.
    const theirs = await stack.as<Inbox>('finance.staff', 'GET', '/notifications?limit=200');
    expect(theirs.body.items.filter((item) => item.kind === 'plan-deadlines-unknown')).toEqual([]);
  });

  it('the supervision office sets the deadline, and the task’s clock starts', async () => {
    const task = plan.tasks.find((item) => item.no === 2)!;
    const rows = () =>
      queryRows<{ due_at: Date | null; assessed_due_at: Date | null; escalation_level: number }>(
        'SELECT due_at, assessed_due_at, escalation_level FROM assignments WHERE task_id = $1 ORDER BY role',
        [task.id],
      );
    expect((await rows()).map((row) => row.due_at)).toEqual([null, null]);

    const dueAt = Date.now() + 3_000;
    const changed = await stack.tasks.changeDeadline(task.id, new Date(dueAt), '按上级文件要求，限期完成');
    expect(changed.status).toBe(200);
    expect(Date.parse(changed.body.dueAt)).toBe(dueAt);
    await waitFor(
      'both assignments escalated past the new deadline',
      async () => (await rows()).every((row) => row.escalation_level === 1),
      20_000,
      250,
    );
    for (const row of await rows()) {
      expect(row.due_at?.getTime()).toBe(dueAt);
      expect(row.assessed_due_at?.getTime()).toBe(dueAt);
    }
    const reminders = await queryRows<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'deadline-reminder'
          AND subject_id = ANY($1)`,
      [task.assignments.map((assignment) => assignment.id)],
    );
    expect(reminders[0].n).toBe(2);
  });
});
