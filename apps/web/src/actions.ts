import { ApiError, post, Unit, User } from './api';
import { ActionSpec } from './components';
import { localInputToIso } from './format';

const has = (user: User, role: string) => user.roles.includes(role);
const isUnitWorker = (user: User) => has(user, 'staff') || has(user, 'head');

/** The browser's datetime-local value as an instant, or an inline error before anything is sent. */
function requireInstant(value: string): string {
  const iso = localInputToIso(value);
  if (!iso) throw new ApiError({ status: 400, detail: '请填写有效的日期和时间。' });
  return iso;
}

/** What the assigned unit can do with its work, by status (DESIGN §4: 签收 → 进展 → 提交; 延期 before the deadline). */
export function workActions(
  user: User,
  assignment: { id: string; unitId: string | null; status: string },
): ActionSpec[] {
  if (assignment.unitId !== user.unitId || !isUnitWorker(user)) return [];
  const id = assignment.id;
  const actions: ActionSpec[] = [];
  if (assignment.status === 'assigned') {
    actions.push({
      label: '签收',
      title: '确认签收该项任务？',
      fields: [{ name: 'note', label: '签收说明（可选）', type: 'text' }],
      run: (values) => post(`/assignments/${id}/acknowledge`, values.note ? { note: values.note } : {}),
    });
  }
  if (['acknowledged', 'in-progress', 'returned'].includes(assignment.status)) {
    actions.push(
      {
        label: '报告进展',
        title: '报告工作进展',
        fields: [
          { name: 'note', label: '进展情况', type: 'textarea', required: true },
          { name: 'percent', label: '完成比例（%）', type: 'number', min: 0, max: 100, required: true },
        ],
        run: (values) => post(`/assignments/${id}/progress`, { note: values.note, percent: Number(values.percent) }),
      },
      {
        label: '提交',
        title: '提交办理结果，报牵头单位审核？',
        fields: [{ name: 'summary', label: '办理情况摘要', type: 'textarea', required: true }],
        run: (values) => post(`/assignments/${id}/submit`, { summary: values.summary, evidence: [] }),
      },
    );
  }
  if (['assigned', 'acknowledged', 'in-progress', 'returned', 'submitted'].includes(assignment.status)) {
    actions.push({
      label: '申请延期',
      title: '向督查室申请延期',
      fields: [
        { name: 'requestedDueAt', label: '申请延至', type: 'datetime', required: true },
        { name: 'reason', label: '延期理由', type: 'textarea', required: true },
      ],
      run: (values) =>
        post(`/assignments/${id}/extension-requests`, {
          requestedDueAt: requireInstant(values.requestedDueAt),
          reason: values.reason,
        }),
    });
  }
  return actions;
}

/** A head of a lead unit signs off a submitted report or returns it with a reason. */
export function reviewActions(assignmentId: string): ActionSpec[] {
  return [
    {
      label: '审核通过',
      title: '确认审核通过该单位的办理结果？',
      fields: [{ name: 'comment', label: '审核意见（可选）', type: 'text' }],
      run: (values) => post(`/assignments/${assignmentId}/approve`, values.comment ? { comment: values.comment } : {}),
    },
    {
      label: '退回',
      title: '退回该单位重新办理',
      danger: true,
      fields: [{ name: 'reason', label: '退回理由', type: 'textarea', required: true }],
      run: (values) => post(`/assignments/${assignmentId}/return`, { reason: values.reason }),
    },
  ];
}

export function consolidateAction(taskId: string): ActionSpec {
  return {
    label: '提交汇总',
    title: '提交任务汇总报告，报督查室销号？',
    fields: [{ name: 'summary', label: '汇总报告', type: 'textarea', required: true }],
    run: (values) => post(`/tasks/${taskId}/consolidate`, { summary: values.summary }),
  };
}

export function verifyActions(taskId: string): ActionSpec[] {
  return [
    {
      label: '销号',
      title: '确认该任务已完成并销号？',
      fields: [{ name: 'comment', label: '意见（可选）', type: 'text' }],
      run: (values) => post(`/tasks/${taskId}/close`, values.comment ? { comment: values.comment } : {}),
    },
    {
      label: '退回牵头单位',
      title: '退回汇总报告',
      danger: true,
      fields: [{ name: 'comment', label: '退回理由', type: 'textarea', required: true }],
      run: (values) => post(`/tasks/${taskId}/return`, { comment: values.comment }),
    },
  ];
}

export function deadlineAction(taskId: string): ActionSpec {
  return {
    label: '调整时限',
    title: '调整任务完成时限（原时限留档）',
    fields: [
      { name: 'dueAt', label: '新的完成时限', type: 'datetime', required: true },
      { name: 'reason', label: '调整理由', type: 'textarea', required: true },
    ],
    run: (values) => post(`/tasks/${taskId}/deadline`, { dueAt: requireInstant(values.dueAt), reason: values.reason }),
  };
}

export function callActions(
  user: User,
  call: { id: string; status: string; fromUnitId: string; toUnitId: string },
): ActionSpec[] {
  if (!isUnitWorker(user)) return [];
  const id = call.id;
  if (call.toUnitId === user.unitId && call.status === 'raised') {
    return [
      {
        label: '签收',
        title: '签收该呼叫并安排办理？',
        fields: [{ name: 'note', label: '签收说明（可选）', type: 'text' }],
        run: (values) => post(`/calls/${id}/respond`, values.note ? { note: values.note } : {}),
      },
    ];
  }
  if (call.toUnitId === user.unitId && ['responded', 'reopened'].includes(call.status)) {
    return [
      {
        label: '办结',
        title: '报告该呼叫已办结',
        fields: [{ name: 'resolution', label: '办理结果', type: 'textarea', required: true }],
        run: (values) => post(`/calls/${id}/resolve`, { resolution: values.resolution }),
      },
    ];
  }
  if (call.fromUnitId === user.unitId && call.status === 'resolved') {
    return [
      {
        label: '评价',
        title: '评价县级部门的办理结果',
        fields: [
          {
            name: 'rating',
            label: '评价结果',
            type: 'select',
            required: true,
            options: [
              { value: 'satisfied', label: '满意' },
              { value: 'basically-satisfied', label: '基本满意' },
              { value: 'dissatisfied', label: '不满意（退回重办）' },
            ],
          },
          { name: 'comment', label: '评价意见（可选）', type: 'text' },
        ],
        run: (values) =>
          post(`/calls/${id}/evaluate`, {
            rating: values.rating,
            ...(values.comment ? { comment: values.comment } : {}),
          }),
      },
    ];
  }
  return [];
}

/** The supervision office's handling of an escalation: 催办, 延期, 转办, 挂牌督办. */
export function escalationActions(escalationId: string, reassignTargets: Unit[]): ActionSpec[] {
  const url = `/escalations/${escalationId}/handle`;
  return [
    {
      label: '催办',
      title: '向责任单位发出催办',
      fields: [{ name: 'note', label: '催办内容', type: 'textarea', required: true }],
      run: (values) => post(url, { action: 'remind', note: values.note }),
    },
    {
      label: '延期',
      title: '延长办理时限',
      fields: [
        { name: 'dueAt', label: '新的时限', type: 'datetime', required: true },
        { name: 'note', label: '说明', type: 'textarea', required: true },
      ],
      run: (values) => post(url, { action: 'extend', dueAt: requireInstant(values.dueAt), note: values.note }),
    },
    {
      label: '转办',
      title: '转交其他单位办理',
      fields: [
        {
          name: 'toUnitId',
          label: '转办至',
          type: 'select',
          required: true,
          options: reassignTargets.map((unit) => ({ value: unit.id, label: unit.name })),
        },
        { name: 'note', label: '转办理由', type: 'textarea', required: true },
      ],
      run: (values) => post(url, { action: 'reassign', toUnitId: values.toUnitId, note: values.note }),
    },
    {
      label: '挂牌督办',
      title: '挂牌督办',
      danger: true,
      fields: [{ name: 'note', label: '督办说明', type: 'textarea', required: true }],
      run: (values) => post(url, { action: 'flag', note: values.note }),
    },
  ];
}

export function extensionDecisionActions(requestId: string): ActionSpec[] {
  return [
    {
      label: '批准延期',
      title: '批准该延期申请？',
      fields: [{ name: 'comment', label: '意见（可选）', type: 'text' }],
      run: (values) =>
        post(`/extension-requests/${requestId}/approve`, values.comment ? { comment: values.comment } : {}),
    },
    {
      label: '不予批准',
      title: '驳回该延期申请',
      danger: true,
      fields: [{ name: 'comment', label: '理由', type: 'textarea', required: true }],
      run: (values) => post(`/extension-requests/${requestId}/reject`, { comment: values.comment }),
    },
  ];
}
