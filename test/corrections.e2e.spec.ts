import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import {
  checkAgainstSchema,
  ImportedPlan,
  ONE_TASK_LIST,
  openApiDocument,
  queryRows,
  Schema,
  useStack,
  waitFor,
} from '@county/test-kit';

interface TaskDetail {
  status: string;
  title: string;
  measures: string[];
  goals: string[];
  leadUnitIds: string[];
  allowedActions: string[];
  assignments: Array<{ id: string; unitId: string; role: string; status: string; allowedActions: string[] }>;
  timeline: Array<{ action: string; subjectId: string; payload: Record<string, unknown> }>;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
}

/**
 * Three tasks led by 县审批局: task 1 (县财政局, 县民政局) for 撤回 and the task edit, task 2 (县财政局, 县民政局,
 * 县卫健局) for 减签, task 3 (县财政局 alone) whose only responsible unit cannot be removed.
 */
const CORRECTIONS_LIST = [
  ONE_TASK_LIST.trimEnd(),
  '',
  ...['\t2', '\t规范代办服务流程', '\t1.制定流程图', '\t1.流程公开', '\t县审批局', '\t县财政局、县民政局、县卫健局'],
  '\t2027年6月底前',
  '',
  ...['\t3', '\t代办事项公开', '\t1.公开代办事项', '\t1.群众知晓', '\t县审批局', '\t县财政局', '\t2027年6月底前'],
  '',
].join('\n');

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/** A 审核 limit of a second: the reminder to the lead head at once, the supervision office (level 2) a second on. */
const FAST_REVIEW_POLICY = {
  assignment: {
    reviewWithin: 'PT1S',
    remindBefore: [],
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'PT600S', level: 2 },
    ],
  },
};

/** Issue 16 "Corrections": 撤回 before review, the supervision office's task edit and 减签, with the old values kept. */
describe('corrections: 撤回, task edit and 减签', () => {
  let reviewPlan: ImportedPlan | undefined;
  const stack = useStack({
    worker: true,
    plan: { text: CORRECTIONS_LIST },
    histories: ({ plan, assignmentOf }) => ({
      'assignment-withdrawn': assignmentWorkflowId(assignmentOf('finance', 1).id),
      'assignment-withdrawn-after-late-review':
        reviewPlan && assignmentWorkflowId(reviewPlan.tasks[0].assignments.find((a) => a.unitId === 'finance')!.id),
      'task-edited': taskWorkflowId(plan.id, 1),
      'task-unit-removed': taskWorkflowId(plan.id, 2),
    }),
  });
  const taskId = (no: number) => stack.plan.tasks.find((task) => task.no === no)!.id;
  const task = async (no: number, who = 'supervisor') =>
    (await stack.as<TaskDetail>(who, 'GET', `/tasks/${taskId(no)}`)).body;
  const statusOf = async (no: number, unitId: string) =>
    (await task(no)).assignments.find((assignment) => assignment.unitId === unitId && assignment.role === 'responsible')
      ?.status;
  const act = (who: string, assignmentId: string, action: string, body: unknown = {}) =>
    stack.assignments.act<Problem & { status: string }>(who, assignmentId, action, body);
  const submitted = { summary: '已完成代办清单', evidence: [] };
  type Document = {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content: Record<string, { schema: Schema }> }> }>
    >;
    components: { schemas: Record<string, Schema> };
  };
  /** What the document promises the route's 200 answer is, against the real answer (the contract, issue 13). */
  const undocumented = async (method: string, template: string, answer: unknown) => {
    const document = await openApiDocument<Document>(stack.api);
    const schema = document.paths[`/api/v1${template}`][method].responses['200'].content['application/json'].schema;
    return checkAgainstSchema(document, schema, answer);
  };

  describe('撤回: the unit takes its report back before review', () => {
    it('only the assigned unit withdraws (403 for another unit and the lead head), and only while submitted', async () => {
      const finance = stack.assignmentOf('finance', 1).id;
      expect((await act('finance.staff', finance, 'acknowledge')).status).toBe(200);
      // Nothing to withdraw yet: the report is not submitted.
      expect((await act('finance.staff', finance, 'withdraw', { reason: '撤回' })).status).toBe(409);
      expect((await act('finance.staff', finance, 'submit', submitted)).status).toBe(200);
      for (const who of ['civil-affairs.staff', 'approval.head', 'supervisor']) {
        const refused = await act(who, finance, 'withdraw', { reason: '替别人撤回' });
        expect({ who, status: refused.status, code: refused.body.code }).toEqual({
          who,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
      expect(await statusOf(1, 'finance')).toBe('submitted');
    });

    it('refuses a bad body with 400 and keeps the report waiting for review', async () => {
      const finance = stack.assignmentOf('finance', 1).id;
      for (const body of [
        {},
        { reason: '' },
        { reason: '   ' },
        { reason: 'a\u0000b' },
        { reason: '撤回', status: 'x' },
      ]) {
        const refused = await act('finance.staff', finance, 'withdraw', body);
        expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      }
      expect(await statusOf(1, 'finance')).toBe('submitted');
    });

    it('withdraws: back to in progress, the lead head is told, the history keeps the report and the reason', async () => {
      const finance = stack.assignmentOf('finance', 1).id;
      const offered = (await task(1, 'finance.staff')).assignments.find((item) => item.id === finance)!;
      expect(offered.allowedActions).toContain('withdraw');
      const withdrawn = await act('finance.staff', finance, 'withdraw', { reason: '数据有误，撤回修改' });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.status).toBe('in-progress');
      expect(await undocumented('post', '/assignments/{id}/withdraw', withdrawn.body)).toEqual([]);
      const timeline = (await task(1)).timeline.filter((event) => event.subjectId === finance);
      // The submitted report stays on record (append-only); the withdrawal names the states and the reason.
      expect(timeline.find((event) => event.action === 'assignment.submit')?.payload).toMatchObject(submitted);
      expect(timeline.find((event) => event.action === 'assignment.withdraw')?.payload).toMatchObject({
        before: 'submitted',
        after: 'in-progress',
        reason: '数据有误，撤回修改',
      });
      const notices = await queryRows<{ recipient_unit_id: string; recipient_role: string; title: string }>(
        `SELECT recipient_unit_id, recipient_role, title FROM notifications WHERE subject_id = $1 AND kind = 'report-withdrawn'`,
        [finance],
      );
      expect(notices).toEqual([
        { recipient_unit_id: 'approval', recipient_role: 'head', title: expect.stringContaining('撤回') },
      ]);
      // The lead head has nothing to review any more.
      expect((await act('approval.head', finance, 'approve', {})).status).toBe(409);
    });

    it('a withdrawn report stops its 审核 clock: the late review’s escalation is resolved, a resubmission starts anew', async () => {
      reviewPlan = await stack.importWithPolicy(FAST_REVIEW_POLICY);
      const finance = reviewPlan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!.id;
      const reviewEscalations = () =>
        queryRows<{ level: number; action: string | null; step: string }>(
          `SELECT level, action, split_part(dedupe_key, ':', 2) AS step FROM escalations
            WHERE subject_id = $1 ORDER BY created_at`,
          [finance],
        );
      expect((await act('finance.staff', finance, 'acknowledge')).status).toBe(200);
      expect((await act('finance.staff', finance, 'submit', submitted)).status).toBe(200);
      await waitFor(
        'the late review to reach the supervision office',
        async () => (await reviewEscalations()).length === 1,
        20_000,
      );
      expect((await act('finance.staff', finance, 'withdraw', { reason: '撤回补充材料' })).status).toBe(200);
      expect(await reviewEscalations()).toEqual([
        { level: 2, action: 'resolved', step: expect.stringMatching(/^review-1/) },
      ]);
      // Submitted again: the new report has a clock of its own, which escalates in its own right.
      expect((await act('finance.staff', finance, 'submit', submitted)).status).toBe(200);
      await waitFor('the new report’s own late review', async () => (await reviewEscalations()).length === 2, 20_000);
      expect((await reviewEscalations())[1]).toEqual({
        level: 2,
        action: null,
        step: expect.stringMatching(/^review-2/),
      });
    });

    it('the unit submits again and the lead head approves; after approval 撤回 is a conflict', async () => {
      const finance = stack.assignmentOf('finance', 1).id;
      expect(
        (await act('finance.staff', finance, 'submit', { ...submitted, summary: '已修改后重新报送' })).status,
      ).toBe(200);
      expect((await act('approval.head', finance, 'approve', { comment: '同意' })).status).toBe(200);
      await waitFor(
        'the approval in the read model',
        async () => (await statusOf(1, 'finance')) === 'approved',
        15_000,
      );
      const late = await act('finance.staff', finance, 'withdraw', { reason: '还想再改' });
      expect(late.status).toBe(409);
      expect(await statusOf(1, 'finance')).toBe('approved');
    });
  });

  describe('task edit: the supervision office corrects a task after import', () => {
    it('only the supervision office edits (403 for the lead head and a unit)', async () => {
      for (const who of ['approval.head', 'finance.staff']) {
        const refused = await stack.as<Problem>(who, 'PATCH', `/tasks/${taskId(1)}`, { title: '改名', reason: '更正' });
        expect({ who, status: refused.status }).toEqual({ who, status: 403 });
      }
      expect((await task(1)).title).toBe('完善村级代办服务机制');
    });

    it('refuses bad bodies with 400 (in Chinese where the rule is the task’s) and changes nothing', async () => {
      const patch = (body: unknown) => stack.as<Problem>('supervisor', 'PATCH', `/tasks/${taskId(1)}`, body);
      for (const body of [
        { reason: '什么也没改' },
        { title: '完善村级代办服务机制', reason: '与原来相同' },
        { leadUnitIds: [], reason: '没有牵头单位' },
        { leadUnitIds: ['water', 'water'], reason: '重复' },
        { leadUnitIds: ['leadership'], reason: '县领导不承办' },
        { leadUnitIds: ['no-such-unit'], reason: '不存在' },
        { title: '   ', reason: '空白标题' },
        { measures: ['1.a', '   '], reason: '空白措施' },
        { title: '新标题', reason: 'a\u0000b' },
        { title: 'a\u0000b', reason: '更正' },
        { title: '新标题' },
        { title: '新标题', reason: '更正', status: 'closed' },
      ]) {
        const refused = await patch(body);
        expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      }
      for (const body of [{ reason: '什么也没改' }, { title: '完善村级代办服务机制', reason: '与原来相同' }]) {
        expect((await patch(body)).body.detail).toMatch(HAS_CHINESE);
      }
      expect((await patch({ leadUnitIds: [], reason: '没有牵头单位' })).body.detail).toMatch(HAS_CHINESE);
      // A unit that already works on the task as a responsible unit cannot lead it as well.
      const both = await patch({ leadUnitIds: ['civil-affairs'], reason: '民政局牵头' });
      expect(both.status).toBe(409);
      expect(both.body.detail).toMatch(HAS_CHINESE);
      const unchanged = await task(1);
      expect(unchanged).toMatchObject({ title: '完善村级代办服务机制', leadUnitIds: ['approval'] });
      expect(unchanged.timeline.some((event) => event.action === 'task.edited')).toBe(false);
    });

    it('edits title, measures and lead units: the timeline keeps the old values; the new lead head signs off', async () => {
      const civil = stack.assignmentOf('civil-affairs', 1).id;
      expect((await act('civil-affairs.staff', civil, 'acknowledge')).status).toBe(200);
      expect((await act('civil-affairs.staff', civil, 'submit', submitted)).status).toBe(200);
      const edited = await stack.as<TaskDetail>('supervisor', 'PATCH', `/tasks/${taskId(1)}`, {
        title: '完善村级代办帮办服务机制',
        measures: ['制定代办清单', '培训代办员', '建立代办台账'],
        goals: ['代办服务覆盖全部行政村'], // unchanged: not recorded as a change
        leadUnitIds: ['water'],
        reason: '导入时牵头单位有误，按县委办文件更正',
      });
      expect(edited.status).toBe(200);
      expect(await undocumented('patch', '/tasks/{id}', edited.body)).toEqual([]);
      expect(edited.body).toMatchObject({
        title: '完善村级代办帮办服务机制',
        measures: ['制定代办清单', '培训代办员', '建立代办台账'],
        goals: ['代办服务覆盖全部行政村'],
        leadUnitIds: ['water'],
      });
      const event = edited.body.timeline.find((item) => item.action === 'task.edited');
      expect(event?.payload).toEqual({
        before: {
          title: '完善村级代办服务机制',
          measures: ['制定代办清单', '培训代办员'],
          leadUnitIds: ['approval'],
        },
        after: {
          title: '完善村级代办帮办服务机制',
          measures: ['制定代办清单', '培训代办员', '建立代办台账'],
          leadUnitIds: ['water'],
        },
        reason: '导入时牵头单位有误，按县委办文件更正',
      });
      // The new lead unit has its lead assignment; the old one's has ended as removed.
      await waitFor(
        'the lead assignments to follow the new lead units',
        async () => {
          const detail = await task(1);
          const lead = (unitId: string) =>
            detail.assignments.find((assignment) => assignment.unitId === unitId && assignment.role === 'lead');
          return lead('water')?.status === 'assigned' && lead('approval')?.status === 'removed';
        },
        15_000,
      );
      const told = await queryRows<{ recipient_unit_id: string }>(
        `SELECT DISTINCT recipient_unit_id FROM notifications WHERE subject_id = $1 AND kind = 'task-edited'
          ORDER BY recipient_unit_id`,
        [taskId(1)],
      );
      expect(told.map((row) => row.recipient_unit_id)).toEqual(['approval', 'civil-affairs', 'finance', 'water']);
      // The running assignment took the new lead units: the old lead head is refused, the new one signs off.
      const byOldLead = await act('approval.head', civil, 'approve', { comment: '同意' });
      expect(byOldLead.status).toBe(403);
      const offered = (await task(1, 'water.head')).assignments.find((item) => item.id === civil)!;
      expect(offered.allowedActions).toEqual(expect.arrayContaining(['approve', 'return']));
      expect((await act('water.head', civil, 'approve', { comment: '同意' })).status).toBe(200);
      await waitFor(
        'the task to wait for consolidation by its new lead unit',
        async () => (await task(1)).status === 'awaiting-consolidation',
        15_000,
      );
      expect((await task(1, 'water.head')).allowedActions).toContain('consolidate');
      expect((await task(1, 'approval.head')).allowedActions).not.toContain('consolidate');
    });
  });

  describe('减签: the supervision office takes a responsible unit off a running task', () => {
    const remove = (who: string, no: number, unitId: string, body: unknown) =>
      stack.as<Problem & { assignmentId: string }>(who, 'POST', `/tasks/${taskId(no)}/units/${unitId}/remove`, body);

    it('is the supervision office’s alone, with a reason that can be stored', async () => {
      for (const who of ['approval.head', 'civil-affairs.staff']) {
        expect((await remove(who, 2, 'civil-affairs', { reason: '减签' })).status).toBe(403);
      }
      for (const body of [{}, { reason: '' }, { reason: 'a\u0000b' }, { reason: '减签', unitId: 'finance' }]) {
        const refused = await remove('supervisor', 2, 'civil-affairs', body);
        expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      }
      expect(await statusOf(2, 'civil-affairs')).toBe('assigned');
    });

    it('keeps lead units, units not on the task, approved work and the last responsible unit (Chinese reasons)', async () => {
      const lead = await remove('supervisor', 2, 'approval', { reason: '减签牵头单位' });
      expect(lead.status).toBe(409);
      expect(lead.body.detail).toMatch(HAS_CHINESE);
      expect((await remove('supervisor', 2, 'water', { reason: '不在任务中' })).status).toBe(404);
      const last = await remove('supervisor', 3, 'finance', { reason: '唯一的责任单位' });
      expect(last.status).toBe(409);
      expect(last.body.detail).toMatch(/唯一的责任单位/);
      const finance = stack.assignmentOf('finance', 2).id;
      expect((await act('finance.staff', finance, 'acknowledge')).status).toBe(200);
      expect((await act('finance.staff', finance, 'submit', submitted)).status).toBe(200);
      expect((await act('approval.head', finance, 'approve', {})).status).toBe(200);
      await waitFor(
        'the approval in the read model',
        async () => (await statusOf(2, 'finance')) === 'approved',
        15_000,
      );
      expect((await remove('supervisor', 2, 'finance', { reason: '已完成的单位' })).status).toBe(409);
    });

    it('removes a unit with a reason: its assignment ends as removed, its history and the task’s keep why', async () => {
      const civil = stack.assignmentOf('civil-affairs', 2).id;
      const removed = await remove('supervisor', 2, 'civil-affairs', { reason: '该事项不涉及民政职能，减签' });
      expect(removed.status).toBe(200);
      expect(removed.body).toMatchObject({ assignmentId: civil, unitId: 'civil-affairs' });
      expect(await undocumented('post', '/tasks/{id}/units/{unitId}/remove', removed.body)).toEqual([]);
      await waitFor(
        'the assignment to be removed',
        async () => (await statusOf(2, 'civil-affairs')) === 'removed',
        15_000,
      );
      const detail = await task(2);
      expect(detail.timeline.find((event) => event.action === 'task.unit-removed')?.payload).toMatchObject({
        unitId: 'civil-affairs',
        assignmentId: civil,
        reason: '该事项不涉及民政职能，减签',
      });
      expect(detail.timeline.find((event) => event.action === 'assignment.removed')?.payload).toMatchObject({
        before: 'assigned',
        after: 'removed',
        reason: '该事项不涉及民政职能，减签',
      });
      const assignment = await stack.assignments.get<{ assignment: { status: string; allowedActions: string[] } }>(
        civil,
        'civil-affairs.staff',
      );
      expect(assignment.body.assignment).toMatchObject({ status: 'removed', allowedActions: [] });
      const [notice] = await queryRows<{ title: string }>(
        `SELECT title FROM notifications WHERE subject_id = $1 AND kind = 'assignment-removed' AND recipient_unit_id = 'civil-affairs'`,
        [civil],
      );
      expect(notice.title).toContain('该事项不涉及民政职能，减签');
      expect((await act('civil-affairs.staff', civil, 'acknowledge')).status).toBe(409);
      // Its record stays on the task: the unit cannot rejoin it, by 加签 or as a lead unit.
      const rejoin = await stack.as<Problem>('supervisor', 'POST', `/tasks/${taskId(2)}/units`, {
        unitId: 'civil-affairs',
        reason: '重新加入',
      });
      expect(rejoin.status).toBe(409);
      expect(rejoin.body.detail).toContain('减签');
      const asLead = await stack.as<Problem>('supervisor', 'PATCH', `/tasks/${taskId(2)}`, {
        leadUnitIds: ['approval', 'civil-affairs'],
        reason: '改为牵头',
      });
      expect(asLead.status).toBe(409);
      expect((await stack.temporal.workflow.getHandle(assignmentWorkflowId(civil)).result()).status).toBe('removed');
      expect(detail.status).toBe('in-progress'); // 县卫健局 has not been approved yet
    });

    it('removing the last unapproved unit lets the task move on to consolidation', async () => {
      expect((await remove('supervisor', 2, 'health', { reason: '职能调整，不再参与' })).status).toBe(200);
      await waitFor(
        'the task to wait for consolidation',
        async () => (await task(2)).status === 'awaiting-consolidation',
        15_000,
      );
      // The units' work is over: no more 减签.
      expect((await remove('supervisor', 2, 'finance', { reason: '任务已汇总' })).status).toBe(409);
    });
  });
});
