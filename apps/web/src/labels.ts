/** Chinese wording for the API's codes. An unknown code is shown as it is rather than hidden. */

const label = (table: Record<string, string>) => (code: string | null | undefined) =>
  code == null ? '' : (table[code] ?? code);

export const roleLabel = label({
  staff: '工作人员',
  head: '单位负责人',
  supervisor: '督查室',
  leader: '县领导',
  admin: '系统管理员',
});

export const assignmentStatusLabel = label({
  assigned: '待签收',
  acknowledged: '已签收',
  'in-progress': '办理中',
  submitted: '已提交待审核',
  returned: '被退回',
  approved: '已审核通过',
  cancelled: '已撤销',
  reassigned: '已转办',
  removed: '已减签',
});

export const taskStatusLabel = label({
  'in-progress': '推进中',
  'awaiting-consolidation': '待牵头单位汇总',
  'awaiting-verification': '待督查室销号',
  closed: '已销号',
  cancelled: '已撤销',
});

export const callStatusLabel = label({
  raised: '待签收',
  responded: '办理中',
  resolved: '已办结待评价',
  reopened: '不满意重办',
  closed: '已关闭',
});

export const lightLabel = label({ green: '正常', yellow: '预警', red: '逾期' });

export const inboxKindLabel = label({
  work: '办理',
  review: '待审核',
  consolidate: '待汇总',
  verify: '待销号',
  respond: '待签收',
  resolve: '待办结',
  evaluate: '待评价',
});

/** 已报送: what the unit sent, and whose decision it waits for. */
export const sentKindLabel = label({ report: '报送办理结果', consolidation: '报送汇总', extension: '申请延期' });
export const sentStatusLabel = label({
  report: '待牵头单位审核',
  consolidation: '待督查室核验销号',
  extension: '待督查室审批',
});

export const roleInTaskLabel = label({ lead: '牵头单位', responsible: '责任单位' });
export const urgencyLabel = label({ normal: '一般', urgent: '紧急' });
export const ratingLabel = label({ satisfied: '满意', 'basically-satisfied': '基本满意', dissatisfied: '不满意' });
export const escalationActionLabel = label({
  remind: '催办',
  extend: '延期',
  reassign: '转办',
  flag: '挂牌督办',
  resolved: '已办结',
});
export const escalationLevelLabel = label({
  '1': '一级（单位负责人）',
  '2': '二级（督查室督办）',
  '3': '三级（县领导挂牌督办）',
});

export const auditActionLabel = label({
  'task.started': '任务启动',
  'task.deadline-changed': '调整完成时限',
  'task.unit-added': '加签单位',
  'task.reassigned': '转办',
  'task.consolidate': '牵头单位提交汇总',
  'task.consolidated': '牵头单位提交汇总',
  'task.close': '督查室销号',
  'task.closed': '督查室销号',
  'task.return': '督查室退回',
  'task.returned': '督查室退回',
  'task.cancelled': '任务撤销',
  'assignment.assigned': '分派任务',
  'assignment.acknowledge': '签收',
  'assignment.progress': '报告进展',
  'assignment.submit': '提交办理结果',
  'assignment.approve': '审核通过',
  'assignment.return': '退回',
  'assignment.reminded': '到期提醒',
  'assignment.escalated': '逾期升级',
  'assignment.deadline-changed': '时限调整',
  'assignment.reassigned': '转办',
  'assignment.cancelled': '撤销',
  'assignment.extension-requested': '申请延期',
  'assignment.extension-approved': '延期获批',
  'assignment.extension-rejected': '延期未获批',
  'escalation.remind': '督查室催办',
  'escalation.extend': '督查室延期',
  'escalation.reassign': '督查室转办',
  'escalation.flag': '挂牌督办',
  'assignment.withdraw': '撤回提交',
  'assignment.commented': '发表意见',
  'task.edited': '更正任务',
  'task.unit-removed': '减签单位',
  'task.lead-unit-added': '增加牵头单位',
  'task.commented': '发表意见',
  'task.instructed': '领导批示',
  'call.raised': '发起呼叫',
  'call.responded': '签收呼叫',
  'call.resolved': '办结呼叫',
  'call.evaluated': '评价办理结果',
  'call.extended': '呼叫延期',
  'call.reassigned': '呼叫转办',
  'call.flagged': '呼叫挂牌督办',
  'call.commented': '发表意见',
});
export const searchKindLabel = label({ task: '任务', report: '报告', call: '呼叫' });
export const searchFieldLabel = label({
  title: '任务名称',
  measures: '推进措施',
  goals: '预期目标',
  note: '报告内容',
  subject: '呼叫事项',
  description: '情况说明',
  resolution: '办理结果',
});
export const unitKindLabel = label({
  'county-dept': '县直部门',
  township: '乡镇',
  'city-branch': '市直分局',
  court: '法院',
  procuratorate: '检察院',
  supervision: '督查室',
  leadership: '县领导',
});

/** Kinds with a name of their own, in the order the kind filter offers them (each is one `kind=` value). */
const NOTIFICATION_KINDS: Record<string, string> = {
  'deadline-reminder': '截止提醒',
  'acknowledge-reminder': '签收提醒',
  'review-reminder': '审核提醒',
  'call-reminder': '呼叫提醒',
  'escalation-level-1': '一级督办',
  'escalation-level-2': '二级督办',
  'escalation-level-3': '三级督办（挂牌督办）',
  urge: '催办',
  'supervision-reminder': '督查催办',
  'daily-digest': '每日摘要',
  'bulletin.published': '督查通报',
};

export const notificationKindOptions = Object.entries(NOTIFICATION_KINDS).map(([value, text]) => ({
  value,
  label: text,
}));

/**
 * A notification's kind in Chinese. Unlike the other tables an unknown kind is not shown raw: the workflows add
 * kinds (task-assigned, report-approved, call-responded…) whose title already says what happened, so a family
 * word is enough — 乡呼县应 for every call kind, 通知 for the rest.
 */
export function notificationKindLabel(kind: string): string {
  return NOTIFICATION_KINDS[kind] ?? (kind.startsWith('call-') ? '乡呼县应' : '通知');
}

/** The categories a user may have pushed outside the app (GET/PUT /me/notification-settings), in display order. */
export const NOTIFICATION_CATEGORIES = ['reminder', 'escalation', 'urge', 'call', 'work', 'digest'] as const;
export const notificationCategoryLabel = label({
  reminder: '截止/签收提醒',
  escalation: '督办升级',
  urge: '催办',
  call: '乡呼县应',
  work: '工作动态',
  digest: '每日摘要',
});

export const channelKindLabel = label({ wecom: '企业微信机器人', dingtalk: '钉钉机器人', webhook: '通用 Webhook' });
export const deliveryChannelLabel = label({
  email: '电子邮件',
  wecom: '企业微信机器人',
  dingtalk: '钉钉机器人',
  webhook: '通用 Webhook',
});
export const deliveryStatusLabel = label({ dead: '死信', pending: '待发送', sent: '已发送', skipped: '已跳过' });

/**
 * The board's words (issue 18): the short status on a unit's chip and the plan the board opens on come from
 * @county/domain's board rules — the same file the API counts with — bundled as source (it imports nothing).
 */
export { assignmentChipLabel, defaultBoardPlan } from '../../../libs/domain/src/board';
