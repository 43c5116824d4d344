import { Client, Connection } from '@temporalio/client';
import { dailyDigestScheduleId, DailyDigestWorkflowResult } from '@county/workflows';
import { createDatabaseIfMissing, dropDatabase } from '@county/scripts/dist/postgres';
import { prepareDatabase } from '@county/api';
import { queryRows, TEST_DEMO_PASSWORD, uniqueTaskQueue, useStack } from '@county/test-kit';

const DAY_MS = 24 * 3600 * 1000;
const CHINA_MS = 8 * 3600 * 1000;
const LIVE = ['assigned', 'acknowledged', 'in-progress', 'returned', 'submitted'];

interface Counts {
  newWork: number;
  dueSoon: number;
  overdue: number;
  urges: number;
}

/** 08:30 China time on a China-time date, as an instant. */
const chinaMorning = (date: string) => new Date(Date.parse(`${date}T08:30:00+08:00`));
const chinaDate = (instant: Date) => new Date(instant.getTime() + CHINA_MS).toISOString().slice(0, 10);

describe('the daily digest (08:30 on working days, one message per unit with work)', () => {
  // Digests count every unit's work: a database of the suite's own, so other suites' plans do not count.
  const adminUrl = new URL(process.env.DATABASE_URL!);
  adminUrl.pathname = '/postgres';
  const database = `county_digest_${process.pid}_${Date.now()}`;
  const databaseUrl = Object.assign(new URL(process.env.DATABASE_URL!), { pathname: `/${database}` }).toString();
  const rows = <T>(sql: string, params: unknown[] = []) => queryRows<T>(sql, params, databaseUrl);
  beforeAll(async () => {
    await createDatabaseIfMissing(adminUrl.toString(), database);
    await prepareDatabase({ databaseUrl, demoPassword: TEST_DEMO_PASSWORD });
  }, 120_000);

  const stack = useStack({
    databaseUrl,
    worker: true,
    users: ['supervisor', 'approval.head', 'finance.staff', 'civil-affairs.staff'],
    plan: {},
    histories: () => ({ 'digest-written': recordedRun }),
  });
  // After the stack's own afterAll (hooks run in the order they are declared): nothing is connected any more.
  afterAll(() => dropDatabase(adminUrl.toString(), database).catch(() => undefined));
  let scheduleId: string | undefined;

  afterAll(async () => {
    // The stack may already be stopped (hook order): delete the schedule over a connection of this suite's own.
    if (!scheduleId) return;
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    try {
      await new Client({ connection }).schedule.getHandle(scheduleId).delete();
    } finally {
      await connection.close();
    }
  });

  /** The first digest run that wrote digests: its history is kept for test/replay (RECORD_HISTORIES=1). */
  let recordedRun: string | undefined;
  const runDigest = async (at: Date): Promise<DailyDigestWorkflowResult> => {
    const workflowId = uniqueTaskQueue('digest-test');
    const result: DailyDigestWorkflowResult = await stack.temporal.workflow.execute('dailyDigestWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ at: at.toISOString() }],
    });
    if (result.written > 0) recordedRun ??= workflowId;
    return result;
  };

  /** The counts every unit should get, worked out here from the raw rows (not by the repository's query). */
  const expectedCounts = async (at: Date): Promise<Map<string, Counts>> => {
    const units = await rows<{ id: string; retired_at: Date | null; merged_into: string | null }>(
      `SELECT id, retired_at, merged_into FROM units`,
    );
    const owner = new Map(units.map((unit) => [unit.id, unit.merged_into ?? unit.id]));
    const counts = new Map<string, Counts>(
      units
        .filter((unit) => unit.retired_at === null)
        .map((unit) => [unit.id, { newWork: 0, dueSoon: 0, overdue: 0, urges: 0 }]),
    );
    const t = at.getTime();
    for (const row of await rows<{ unit_id: string; status: string; due_at: Date | null; created_at: Date }>(
      `SELECT unit_id, status, due_at, created_at FROM assignments`,
    )) {
      const unit = counts.get(owner.get(row.unit_id)!);
      if (!unit) continue;
      if (row.created_at.getTime() > t - DAY_MS && row.created_at.getTime() <= t) unit.newWork += 1;
      if (!LIVE.includes(row.status) || row.due_at === null) continue;
      if (row.due_at.getTime() <= t) unit.overdue += 1;
      else if (row.due_at.getTime() <= t + 3 * DAY_MS) unit.dueSoon += 1;
    }
    for (const row of await rows<{ recipient_unit_id: string; created_at: Date }>(
      `SELECT recipient_unit_id, created_at FROM notifications WHERE kind IN ('urge', 'supervision-reminder')`,
    )) {
      const unit = counts.get(owner.get(row.recipient_unit_id)!);
      if (unit && row.created_at.getTime() > t - DAY_MS && row.created_at.getTime() <= t) unit.urges += 1;
    }
    return counts;
  };

  const digestsOf = (date: string) =>
    rows<{ recipient_unit_id: string; title: string; body: string; recipient_role: string | null }>(
      `SELECT recipient_unit_id, title, body, recipient_role FROM notifications
        WHERE kind = 'daily-digest' AND dedupe_key LIKE $1 ORDER BY recipient_unit_id`,
      [`digest:%:${date}`],
    );

  /** Runs the digest for `at` and checks it against the rows: one message per unit with work, the right counts. */
  const expectDigest = async (at: Date, check: (counts: Map<string, Counts>) => void = () => undefined) => {
    const date = chinaDate(at);
    const expected = await expectedCounts(at);
    const result = await runDigest(at);
    expect(result).toEqual({ date, workingDay: true, written: expect.any(Number) });
    const withWork = [...expected].filter(([, c]) => c.newWork + c.dueSoon + c.overdue + c.urges > 0);
    expect(result.written).toBe(withWork.length);
    const rows = await digestsOf(date);
    expect(rows.map((row) => row.recipient_unit_id)).toEqual(withWork.map(([unitId]) => unitId).sort());
    const [, month, day] = date.split('-').map(Number);
    for (const [unitId, c] of withWork) {
      const row = rows.find((candidate) => candidate.recipient_unit_id === unitId)!;
      expect(row.title).toBe(
        `每日摘要（${month}月${day}日）：新任务 ${c.newWork} 项，3 日内到期 ${c.dueSoon} 项，已逾期 ${c.overdue} 项，收到催办 ${c.urges} 次`,
      );
      expect(row.recipient_role).toBeNull();
      expect(row.body).toContain('待办摘要');
    }
    check(expected);
    // A second run for the same day (a retry, a restarted schedule) writes nothing more.
    expect(await runDigest(at)).toEqual({ date, workingDay: true, written: 0 });
    expect(await digestsOf(date)).toHaveLength(rows.length);
    return expected;
  };

  /** The plan's earliest deadline, as a China-time date. */
  const planDueDate = async () => {
    const [{ due_at }] = await rows<{ due_at: Date }>(
      `SELECT min(due_at) AS due_at FROM assignments WHERE id = ANY($1::uuid[])`,
      [stack.plan.tasks.flatMap((task) => task.assignments.map((assignment) => assignment.id))],
    );
    return chinaDate(due_at);
  };

  it('the worker made the 08:30 Asia/Shanghai schedule, starting the digest on its queue and skipping overlaps', async () => {
    scheduleId = dailyDigestScheduleId(stack.taskQueue);
    const description = await stack.temporal.schedule.getHandle(scheduleId).describe();
    expect(description.spec.timezone).toBe('Asia/Shanghai');
    expect(description.spec.calendars).toHaveLength(1);
    const [calendar] = description.spec.calendars!;
    expect(calendar.hour).toEqual([{ start: 8, end: 8, step: 1 }]);
    expect(calendar.minute).toEqual([{ start: 30, end: 30, step: 1 }]);
    expect(description.action).toMatchObject({ workflowType: 'dailyDigestWorkflow', taskQueue: stack.taskQueue });
    expect(description.policies.overlap).toBe('SKIP');
    // 08:30 in Beijing is 00:30 UTC.
    const next = description.info.nextActionTimes[0];
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([0, 30]);
  });

  it('new work and 催办 received: counted in the 24 hours before', async () => {
    const finance = stack.assignmentOf('finance');
    // A 催办 as the supervision office's queue records it (the row the digest reads).
    await rows(
      `INSERT INTO notifications (recipient_unit_id, recipient_role, kind, subject_type, subject_id, title, body, dedupe_key)
       VALUES ('finance', NULL, 'urge', 'assignment', $1, '催办：完善村级代办服务机制', '请加快推进', $2)`,
      [finance.id, `digest-test-urge:${finance.id}`],
    );
    // Just after the import, so its work is new. On a weekend or New Year's Day (the only national holiday near
    // the test's dates that falls on a weekday) the digest rightly writes nothing: that is checked instead.
    const at = new Date(Date.now() + 60_000);
    const date = chinaDate(at);
    if ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()) || date.endsWith('-01-01')) {
      expect(await runDigest(at)).toEqual({ date, workingDay: false, written: 0 });
      return;
    }
    await expectDigest(at, (expected) => {
      expect(expected.get('finance')).toMatchObject({ newWork: 1, urges: 1 });
      expect(expected.get('civil-affairs')).toMatchObject({ newWork: 1, urges: 0 });
    });
  });

  it('due within 3 days, then overdue: only live assignments', async () => {
    const due = await planDueDate();
    const twoDaysBefore = new Date(Date.parse(`${due}T00:00:00Z`) - 2 * DAY_MS).toISOString().slice(0, 10);
    await expectDigest(chinaMorning(twoDaysBefore), (expected) => {
      for (const unitId of ['approval', 'finance', 'civil-affairs'])
        expect(expected.get(unitId)).toMatchObject({ dueSoon: 1, overdue: 0 });
    });
    // 县财政局 finishes its part (approved: no longer live); 县民政局 has submitted (still live: waiting for review).
    const finance = stack.assignmentOf('finance');
    const civilAffairs = stack.assignmentOf('civil-affairs');
    const act = async (who: string, id: string, action: string, body: object) =>
      expect((await stack.assignments.act(who, id, action, body)).status).toBe(200);
    for (const [who, id] of [
      ['finance.staff', finance.id],
      ['civil-affairs.staff', civilAffairs.id],
    ]) {
      await act(who, id, 'acknowledge', { note: '已签收' });
      await act(who, id, 'submit', { summary: '已完成', evidence: ['附件1'] });
    }
    await act('approval.head', finance.id, 'approve', { comment: '同意' });
    const dayAfter = new Date(Date.parse(`${due}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    await expectDigest(chinaMorning(dayAfter), (expected) => {
      for (const unitId of ['approval', 'civil-affairs'])
        expect(expected.get(unitId)).toMatchObject({ dueSoon: 0, overdue: 1 });
      expect(expected.get('finance')).toMatchObject({ dueSoon: 0, overdue: 0 });
    });
  });

  it('no digest on a non-working day (National Day), and one on a 调休 Saturday', async () => {
    for (const date of ['2026-10-03', '2026-10-05']) {
      expect(await runDigest(chinaMorning(date))).toEqual({ date, workingDay: false, written: 0 });
      expect(await digestsOf(date)).toHaveLength(0);
    }
    // 2026-10-10 is a Saturday worked in exchange for the holiday: the digest goes out (nothing to report then).
    expect(await runDigest(chinaMorning('2026-10-10'))).toMatchObject({ date: '2026-10-10', workingDay: true });
  });
});
