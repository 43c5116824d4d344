import { ONE_TASK_LIST, queryRows, useStack, waitFor } from '@county/test-kit';

const TOWNSHIPS = [
  'chengguan',
  'huangquqiao',
  'baofeng',
  'touzha',
  'yaofu',
  'chonggang',
  'taole',
  'gaozhuang',
  'lingsha',
  'qukou',
  'tongfu',
  'gaoren',
  'hongyazi',
];
/** One task led by 县审批局, due from every township (各乡镇). */
const ALL_TOWNSHIPS_LIST = ONE_TASK_LIST.replace('\t县财政局、县民政局', '\t各乡镇');

interface InboxItem {
  assignmentId: string | null;
  kind: string;
  urges: { count: number; lastText: string; lastTitle: string } | null;
}

/**
 * 催办 (issue 15): the supervision office urges a selection of units at once, any time, as often as needed; each unit
 * gets a notification and each item an audit event, and the unit's 待办 card shows it until the unit acts.
 */
describe('催办, one item or a batch', () => {
  const stack = useStack({
    worker: true,
    plan: { text: ALL_TOWNSHIPS_LIST },
    users: ['supervisor', 'approval.head', 'approval.staff', 'chengguan.staff', 'chengguan.head', 'baofeng.head'],
  });
  const urge = (who: string, assignmentIds: string[], text = '请于本周五前报送整改进展') =>
    stack.as<{ items: Array<{ assignmentId: string; notificationId: string }>; detail?: string }>(
      who,
      'POST',
      '/urges',
      {
        assignmentIds,
        text,
      },
    );
  const township = (unitId: string) => stack.assignmentOf(unitId);
  const urgeEvents = async () =>
    Number(
      (
        await queryRows<{ n: string }>(
          `SELECT count(*) AS n FROM audit_events WHERE action = 'assignment.urged' AND subject_id = ANY($1::text[])`,
          [TOWNSHIPS.map((unitId) => township(unitId).id)],
        )
      )[0].n,
    );
  const card = async (who: string, assignmentId: string) => {
    const inbox = await stack.as<{ items: InboxItem[] }>(who, 'GET', '/inbox?limit=500');
    return inbox.body.items.find((item) => item.assignmentId === assignmentId && item.kind === 'work');
  };

  it('urges 13 townships in one request: 13 notifications, 13 audit events, each on the unit’s card', async () => {
    const ids = TOWNSHIPS.map((unitId) => township(unitId).id);
    expect(new Set(ids).size).toBe(13);
    const urged = await urge('supervisor', ids, '请各乡镇于本周五前报送整改进展');
    expect(urged.status).toBe(201);
    expect(urged.body.items.map((item) => item.assignmentId)).toEqual(ids);

    const notifications = await queryRows<{ recipient_unit_id: string; kind: string; body: string; title: string }>(
      `SELECT recipient_unit_id, kind, body, title FROM notifications WHERE id = ANY($1::uuid[])`,
      [urged.body.items.map((item) => item.notificationId)],
    );
    expect(notifications.map((row) => row.recipient_unit_id).sort()).toEqual([...TOWNSHIPS].sort());
    expect(notifications.every((row) => row.kind === 'urge' && row.body === '请各乡镇于本周五前报送整改进展')).toBe(
      true,
    );
    expect(notifications[0].title).toContain('督查室催办');
    expect(await urgeEvents()).toBe(13);
    expect((await stack.as('supervisor', 'GET', '/audit/verify')).body).toMatchObject({ ok: true });

    const chengguan = township('chengguan').id;
    expect((await card('chengguan.staff', chengguan))?.urges).toMatchObject({
      count: 1,
      lastText: '请各乡镇于本周五前报送整改进展',
    });
    const inApp = await stack.as<{ items: Array<{ kind: string; link: string }> }>(
      'chengguan.staff',
      'GET',
      '/notifications?kind=urge',
    );
    expect(inApp.body.items[0].link).toBe(`/tasks/${stack.plan.tasks[0].id}`);
  });

  it('is repeatable, and the card forgets the 催办 once the unit acts', async () => {
    const chengguan = township('chengguan').id;
    expect((await urge('supervisor', [chengguan], '第二次催办')).status).toBe(201);
    expect((await card('chengguan.staff', chengguan))?.urges).toMatchObject({ count: 2, lastText: '第二次催办' });
    expect((await stack.assignments.act('chengguan.staff', chengguan, 'acknowledge')).status).toBe(200);
    await waitFor(
      'the card without 催办',
      async () => (await card('chengguan.staff', chengguan))?.urges === null,
      15_000,
    );
  });

  it('lets the lead unit’s head urge the task’s townships, but not staff or another township; a refused batch writes nothing', async () => {
    const before = await urgeEvents();
    const baofeng = township('baofeng').id;
    expect((await urge('approval.head', [baofeng], '牵头单位催办')).status).toBe(201);
    expect(
      (await stack.assignments.get<{ assignment: { allowedActions: string[] } }>(baofeng, 'approval.head')).body
        .assignment.allowedActions,
    ).toContain('urge');

    const staff = await urge('approval.staff', [baofeng]);
    expect(staff.status).toBe(403);
    const otherTownship = await urge('baofeng.head', [township('yaofu').id]);
    expect(otherTownship.status).toBe(403);
    expect(otherTownship.body.detail).toContain('只有督查室或本任务牵头单位负责人');
    // One item that cannot be urged (here a missing id) spoils the whole batch.
    const mixed = await urge('supervisor', [township('taole').id, '00000000-0000-4000-8000-000000000000']);
    expect(mixed.status).toBe(404);
    expect(await urgeEvents()).toBe(before + 1);

    expect((await urge('supervisor', [])).status).toBe(400);
    expect((await urge('supervisor', [baofeng], '   ')).status).toBe(400);
    expect((await urge('supervisor', [baofeng, baofeng])).status).toBe(400);
  });
});
