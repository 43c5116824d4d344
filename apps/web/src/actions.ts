import { createElement } from 'react';
import { ApiError, patch, post, Unit } from './api';
import { attached } from './attachments';
import { CallMaterials, ConsolidatedReport, ConsolidationReports, ReportView } from './reports';
import type {
  AcknowledgeRequest,
  AssignmentAction,
  CallAction,
  EscalationAction,
  EscalationLeaderAction,
  ExtensionAction,
  TaskAction,
  AddUnitRequest,
  ApproveRequest,
  CancelTaskRequest,
  ChangeDeadlineRequest,
  CommentRequest,
  ConsolidateRequest,
  DecisionBody,
  EditTaskRequest,
  EvaluateCallRequest,
  ExtensionRequestBody,
  HandleEscalationRequest,
  ProgressRequest,
  ReassignRequest,
  RemoveUnitRequest,
  ResolveCallRequest,
  RespondCallRequest,
  ReturnRequest,
  ReturnTaskRequest,
  SetHandlerRequest,
  SubmitRequest,
  UrgeRequest,
  WithdrawRequest,
  NewInstructionRequest,
  ColleagueResponse,
  LatestReportResponse,
} from './api-types';
import { ActionSpec, FieldSpec } from './components';
import { localInputToIso } from './format';

/**
 * The buttons of an item are exactly its `allowedActions`, which the server computes for the signed-in user
 * from the same domain rules its guards and the workflows use. Here each action only gets its label, its
 * dialog and its request: no role, status or unit is checked in the console.
 */

/** The browser's datetime-local value as an instant, or an inline error before anything is sent. */
function requireInstant(value: string): string {
  const iso = localInputToIso(value);
  if (!iso) throw new ApiError({ status: 400, detail: '请填写有效的日期和时间。' });
  return iso;
}

/** Units a task's work can go to (reassign, add a unit): county departments and townships. */
function workUnits(units: readonly Unit[]): Unit[] {
  return units.filter((unit) => unit.kind === 'county-dept' || unit.kind === 'township');
}

function unitField(name: string, label: string, units: readonly Unit[]): FieldSpec {
  return {
    name,
    label,
    type: 'select',
    required: true,
    options: units.map((unit) => ({ value: unit.id, label: unit.name })),
  };
}

/** `{ [name]: value }` when the optional field was filled in, else `{}` (the API refuses empty strings). */
const optional = <N extends string>(name: N, value: string | undefined) =>
  (value ? { [name]: value } : {}) as Partial<Record<N, string>>;

/** A colleague of the signed-in user's unit (GET /colleagues): whom an item can be handed to (承办人). */
export type Colleague = ColleagueResponse;

type Build = (
  id: string,
  units: readonly Unit[],
  colleagues: readonly Colleague[],
  item: Actionable<string>,
) => ActionSpec;

/** 佐证材料 an action carries: uploaded when the dialog is confirmed, sent as `attachmentIds`. */
const FILES_FIELD: FieldSpec = { name: 'files', label: '佐证材料（可选，可多选）', type: 'files' };

/** 承办人: hand the unit's item to a named colleague (the unit stays responsible). */
const setHandler =
  (resource: 'assignments' | 'calls'): Build =>
  (id, _units, colleagues) => ({
    label: '指定承办人',
    title: '指定本单位承办人（单位仍为责任单位）',
    fields: [
      {
        name: 'userId',
        label: '承办人',
        type: 'select',
        required: true,
        options: colleagues.map((colleague) => ({ value: colleague.id, label: colleague.displayName })),
      },
    ],
    run: (values) => post(`/${resource}/${id}/handler`, { userId: values.userId } satisfies SetHandlerRequest),
  });

const ASSIGNMENT_ACTIONS: Record<AssignmentAction, Build> = {
  acknowledge: (id) => ({
    label: '签收',
    title: '确认签收该项任务？',
    fields: [{ name: 'note', label: '签收说明（可选）', type: 'text' }],
    run: (values) => post(`/assignments/${id}/acknowledge`, optional('note', values.note) satisfies AcknowledgeRequest),
  }),
  progress: (id) => ({
    label: '报告进展',
    title: '报告工作进展',
    fields: [
      { name: 'note', label: '进展情况', type: 'textarea', required: true },
      { name: 'percent', label: '完成比例（%）', type: 'number', min: 0, max: 100, required: true },
      FILES_FIELD,
    ],
    run: (values, attachmentIds) =>
      post(`/assignments/${id}/progress`, {
        note: values.note,
        percent: Number(values.percent),
        ...attached(attachmentIds),
      } satisfies ProgressRequest),
  }),
  submit: (id) => ({
    label: '提交',
    title: '提交办理结果，报牵头单位审核？',
    fields: [{ name: 'summary', label: '办理情况摘要', type: 'textarea', required: true }, FILES_FIELD],
    run: (values, attachmentIds) =>
      post(`/assignments/${id}/submit`, {
        summary: values.summary,
        evidence: [],
        ...attached(attachmentIds),
      } satisfies SubmitRequest),
  }),
  withdraw: (id) => ({
    label: '撤回',
    title: '撤回已提交的办理结果（审核前），修改后可重新提交',
    fields: [{ name: 'reason', label: '撤回理由', type: 'textarea', required: true }],
    run: (values) => post(`/assignments/${id}/withdraw`, { reason: values.reason } satisfies WithdrawRequest),
  }),
  requestExtension: (id) => ({
    label: '申请延期',
    title: '向督查室申请延期',
    fields: [
      { name: 'requestedDueAt', label: '申请延至', type: 'datetime', required: true },
      { name: 'reason', label: '延期理由', type: 'textarea', required: true },
      FILES_FIELD,
    ],
    run: (values, attachmentIds) =>
      post(`/assignments/${id}/extension-requests`, {
        requestedDueAt: requireInstant(values.requestedDueAt),
        reason: values.reason,
        ...attached(attachmentIds),
      } satisfies ExtensionRequestBody),
  }),
  approve: (id, _units, _colleagues, item) => ({
    label: '审核通过',
    title: '确认审核通过该单位的办理结果？',
    context: createElement(ReportView, { report: item.report }),
    fields: [{ name: 'comment', label: '审核意见（可选）', type: 'text' }],
    run: (values) => post(`/assignments/${id}/approve`, optional('comment', values.comment) satisfies ApproveRequest),
  }),
  return: (id, _units, _colleagues, item) => ({
    label: '退回',
    title: '退回该单位重新办理',
    context: createElement(ReportView, { report: item.report }),
    danger: true,
    fields: [{ name: 'reason', label: '退回理由', type: 'textarea', required: true }],
    run: (values) => post(`/assignments/${id}/return`, { reason: values.reason } satisfies ReturnRequest),
  }),
  reassign: (id, units) => ({
    label: '转办',
    title: '转交其他单位办理',
    fields: [
      unitField('toUnitId', '转办至', workUnits(units)),
      { name: 'reason', label: '转办理由', type: 'textarea', required: true },
    ],
    run: (values) =>
      post(`/assignments/${id}/reassign`, {
        toUnitId: values.toUnitId,
        reason: values.reason,
      } satisfies ReassignRequest),
  }),
  setHandler: setHandler('assignments'),
  urge: (id) => ({
    label: '催办',
    title: '催办该单位（通知本单位人员，并按其设置发送邮件、机器人消息）',
    fields: [{ name: 'text', label: '催办内容', type: 'textarea', required: true }],
    run: (values) => post('/urges', { assignmentIds: [id], text: values.text } satisfies UrgeRequest),
  }),
};

const TASK_ACTIONS: Record<TaskAction, Build> = {
  consolidate: (id) => ({
    label: '提交汇总',
    title: '提交任务汇总报告，报督查室销号？',
    context: createElement(ConsolidationReports, { taskId: id }),
    fields: [{ name: 'summary', label: '汇总报告', type: 'textarea', required: true }, FILES_FIELD],
    run: (values, attachmentIds) =>
      post(`/tasks/${id}/consolidate`, {
        summary: values.summary,
        ...attached(attachmentIds),
      } satisfies ConsolidateRequest),
  }),
  close: (id) => ({
    label: '销号',
    title: '确认该任务已完成并销号？',
    context: createElement(ConsolidatedReport, { taskId: id }),
    fields: [{ name: 'comment', label: '意见（可选）', type: 'text' }],
    run: (values) => post(`/tasks/${id}/close`, optional('comment', values.comment) satisfies CommentRequest),
  }),
  return: (id) => ({
    label: '退回牵头单位',
    title: '退回汇总报告',
    context: createElement(ConsolidatedReport, { taskId: id }),
    danger: true,
    fields: [{ name: 'comment', label: '退回理由', type: 'textarea', required: true }],
    run: (values) => post(`/tasks/${id}/return`, { comment: values.comment } satisfies ReturnTaskRequest),
  }),
  changeDeadline: (id) => ({
    label: '调整时限',
    title: '调整任务完成时限（原时限留档）',
    fields: [
      { name: 'dueAt', label: '新的完成时限', type: 'datetime', required: true },
      { name: 'reason', label: '调整理由', type: 'textarea', required: true },
    ],
    run: (values) =>
      post(`/tasks/${id}/deadline`, {
        dueAt: requireInstant(values.dueAt),
        reason: values.reason,
      } satisfies ChangeDeadlineRequest),
  }),
  addUnit: (id, units) => ({
    label: '增加责任单位',
    title: '为该任务增加责任单位',
    fields: [
      unitField('unitId', '责任单位', workUnits(units)),
      { name: 'reason', label: '增加理由', type: 'textarea', required: true },
    ],
    run: (values) =>
      post(`/tasks/${id}/units`, { unitId: values.unitId, reason: values.reason } satisfies AddUnitRequest),
  }),
  removeUnit: (id, units) => ({
    label: '减签',
    title: '减去该任务的一个责任单位（原记录留档）',
    danger: true,
    fields: [
      unitField('unitId', '减签单位', workUnits(units)),
      { name: 'reason', label: '减签理由', type: 'textarea', required: true },
    ],
    run: (values) =>
      post(`/tasks/${id}/units/${encodeURIComponent(values.unitId)}/remove`, {
        reason: values.reason,
      } satisfies RemoveUnitRequest),
  }),
  edit: (id, units) => ({
    label: '修改任务',
    title: '修改任务名称、推进措施、预期目标或牵头单位（原内容留档；只填要改的项）',
    fields: [
      { name: 'title', label: '任务名称（可选）', type: 'text' },
      { name: 'measures', label: '推进措施（可选，每行一条）', type: 'textarea' },
      { name: 'goals', label: '预期目标（可选，每行一条）', type: 'textarea' },
      { ...unitField('leadUnitId', '牵头单位（可选）', workUnits(units)), required: false },
      { name: 'reason', label: '修改理由', type: 'textarea', required: true },
    ],
    run: (values) => {
      const lines = (text: string | undefined) =>
        text
          ?.split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
      const measures = lines(values.measures);
      const goals = lines(values.goals);
      return patch(`/tasks/${id}`, {
        ...optional('title', values.title),
        ...(measures?.length ? { measures } : {}),
        ...(goals?.length ? { goals } : {}),
        ...(values.leadUnitId ? { leadUnitIds: [values.leadUnitId] } : {}),
        reason: values.reason,
      } satisfies EditTaskRequest);
    },
  }),
  cancel: (id) => ({
    label: '撤销任务',
    title: '撤销该任务（各单位的办理随之终止）',
    danger: true,
    fields: [{ name: 'reason', label: '撤销理由', type: 'textarea', required: true }],
    run: (values) => post(`/tasks/${id}/cancel`, { reason: values.reason } satisfies CancelTaskRequest),
  }),
  instruct: (id) => ({
    label: '批示',
    title: '作出领导批示（置顶于任务，并通知各单位）',
    fields: [{ name: 'body', label: '批示内容', type: 'textarea', required: true }],
    run: (values) => post(`/tasks/${id}/instructions`, { body: values.body } satisfies NewInstructionRequest),
  }),
};

const CALL_ACTIONS: Record<CallAction, Build> = {
  respond: (id) => ({
    label: '签收',
    title: '签收该呼叫并安排办理？',
    fields: [{ name: 'note', label: '签收说明（可选）', type: 'text' }],
    run: (values) => post(`/calls/${id}/respond`, optional('note', values.note) satisfies RespondCallRequest),
  }),
  resolve: (id) => ({
    label: '办结',
    title: '报告该呼叫已办结',
    context: createElement(CallMaterials, { callId: id, step: 'raised' }),
    fields: [{ name: 'resolution', label: '办理结果', type: 'textarea', required: true }, FILES_FIELD],
    run: (values, attachmentIds) =>
      post(`/calls/${id}/resolve`, {
        resolution: values.resolution,
        ...attached(attachmentIds),
      } satisfies ResolveCallRequest),
  }),
  evaluate: (id) => ({
    label: '评价',
    title: '评价县级部门的办理结果',
    context: createElement(CallMaterials, { callId: id, step: 'resolved' }),
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
      FILES_FIELD,
    ],
    run: (values, attachmentIds) =>
      post(`/calls/${id}/evaluate`, {
        rating: values.rating as EvaluateCallRequest['rating'],
        ...optional('comment', values.comment),
        ...attached(attachmentIds),
      } satisfies EvaluateCallRequest),
  }),
  setHandler: setHandler('calls'),
};

/** The supervision office's handling of an escalation: 催办, 转办, 延期, 挂牌督办 (the route is the same for each). */
const ESCALATION_ACTIONS: Record<EscalationAction, Build> = {
  remind: (id) => ({
    label: '催办',
    title: '向责任单位发出催办',
    fields: [{ name: 'note', label: '催办内容', type: 'textarea', required: true }],
    run: (values) =>
      post(`/escalations/${id}/handle`, { action: 'remind', note: values.note } satisfies HandleEscalationRequest),
  }),
  reassign: (id, units) => ({
    label: '转办',
    title: '转交其他单位办理',
    fields: [
      unitField('toUnitId', '转办至', workUnits(units)),
      { name: 'note', label: '转办理由', type: 'textarea', required: true },
    ],
    run: (values) =>
      post(`/escalations/${id}/handle`, {
        action: 'reassign',
        toUnitId: values.toUnitId,
        note: values.note,
      } satisfies HandleEscalationRequest),
  }),
  extend: (id) => ({
    label: '延期',
    title: '延长该单位的办理时限',
    fields: [
      { name: 'dueAt', label: '新的时限', type: 'datetime', required: true },
      { name: 'note', label: '说明', type: 'textarea', required: true },
    ],
    run: (values) =>
      post(`/escalations/${id}/handle`, {
        action: 'extend',
        dueAt: requireInstant(values.dueAt),
        note: values.note,
      } satisfies HandleEscalationRequest),
  }),
  flag: (id) => ({
    label: '挂牌督办',
    title: '提请县领导挂牌督办',
    fields: [{ name: 'note', label: '督办说明', type: 'textarea', required: true }],
    run: (values) =>
      post(`/escalations/${id}/handle`, { action: 'flag', note: values.note } satisfies HandleEscalationRequest),
  }),
};

/** A county leader's part in a 挂牌督办 item: 已阅 (stored per leader), and 批示 written on the item. */
const ESCALATION_LEADER_ACTIONS: Record<EscalationLeaderAction, Build> = {
  read: (id) => ({
    label: '已阅',
    title: '标记为已阅？',
    run: () => post(`/escalations/${id}/read`),
  }),
  instruct: (id) => ({
    label: '批示',
    title: '作出领导批示（置顶于该事项及其任务，并通知相关单位）',
    fields: [{ name: 'body', label: '批示内容', type: 'textarea', required: true }],
    run: (values) => post(`/escalations/${id}/instructions`, { body: values.body } satisfies NewInstructionRequest),
  }),
};

const EXTENSION_ACTIONS: Record<ExtensionAction, Build> = {
  approve: (id) => ({
    label: '批准延期',
    title: '批准该延期申请？',
    fields: [{ name: 'comment', label: '意见（可选）', type: 'text' }],
    run: (values) =>
      post(`/extension-requests/${id}/approve`, optional('comment', values.comment) satisfies DecisionBody),
  }),
  reject: (id) => ({
    label: '不予批准',
    title: '驳回该延期申请',
    danger: true,
    fields: [{ name: 'comment', label: '理由', type: 'textarea', required: true }],
    run: (values) => post(`/extension-requests/${id}/reject`, { comment: values.comment } satisfies DecisionBody),
  }),
};

/** An item as the API returns it: its id and what the signed-in user may do to it, in button order. */
interface Actionable<A extends string> {
  id: string;
  allowedActions: readonly A[];
  /** The unit's latest report, where the item has one: what a review decides on. */
  report?: LatestReportResponse | null;
}

function buttons<A extends string>(
  table: Record<A, Build>,
  item: Actionable<A>,
  units: readonly Unit[],
  colleagues: readonly Colleague[] = [],
): ActionSpec[] {
  return item.allowedActions.map((action) => table[action](item.id, units, colleagues, item));
}

export const assignmentButtons = (
  item: Actionable<AssignmentAction>,
  units: readonly Unit[] = [],
  colleagues: readonly Colleague[] = [],
) => buttons(ASSIGNMENT_ACTIONS, item, units, colleagues);
export const taskButtons = (item: Actionable<TaskAction>, units: readonly Unit[] = []) =>
  buttons(TASK_ACTIONS, item, units);
export const callButtons = (item: Actionable<CallAction>, colleagues: readonly Colleague[] = []) =>
  buttons(CALL_ACTIONS, item, [], colleagues);
export const escalationButtons = (item: Actionable<EscalationAction>, units: readonly Unit[] = []) =>
  buttons(ESCALATION_ACTIONS, item, units);
export const escalationLeaderButtons = (item: { id: string; leaderActions: readonly EscalationLeaderAction[] }) =>
  buttons(ESCALATION_LEADER_ACTIONS, { id: item.id, allowedActions: item.leaderActions }, []);
export const extensionButtons = (item: Actionable<ExtensionAction>) => buttons(EXTENSION_ACTIONS, item, []);
