import { assignmentButtons, callButtons, taskButtons } from '../actions';
import { ActionButton, ActionSpec, ActionSubject, LightBadge, Link, Loading } from '../components';
import { formatDateTime, relativeDue } from '../format';
import { getPages, getSession } from '../api';
import { Colleague } from '../actions';
import { useColleagues, usePolling, useUnitName } from '../hooks';
import {
  assignmentStatusLabel,
  callStatusLabel,
  inboxKindLabel,
  sentKindLabel,
  sentStatusLabel,
  taskStatusLabel,
  urgencyLabel,
} from '../labels';
import { mineClass, UnitName } from '../mine';
import type { CallInboxItemResponse, InboxItemResponse, InboxResponse, SentItemResponse } from '../api-types';
import { ReopenedCall, ReportView, ReturnedReason } from '../reports';
import { EscalationCard } from './EscalationQueue';

const LIGHT_ORDER: Record<string, number> = { red: 0, yellow: 1, green: 2 };
/** A call handed to the reader (承办人) comes first, as the API orders task rows; then the most urgent. */
const byUrgency = (userId: string | undefined) => (a: CallInboxItemResponse, b: CallInboxItemResponse) =>
  Number(b.handler?.userId === userId) - Number(a.handler?.userId === userId) ||
  (LIGHT_ORDER[a.light] ?? 3) - (LIGHT_ORDER[b.light] ?? 3) ||
  (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity);

/** Rows of one task list (plan), in the order their first row came. */
export interface PlanGroup<T> {
  planId: string;
  planTitle: string;
  rows: T[];
}

/**
 * Groups rows by plan, keeping the API's order inside each group and ordering the groups by their first row:
 * the plan with the most urgent row comes first. Two lists can both hold a "3. 规范涉企行政检查"; under their
 * plans' names they can be told apart.
 */
export function groupByPlan<T extends { planId: string; planTitle: string }>(rows: readonly T[]): PlanGroup<T>[] {
  const groups = new Map<string, PlanGroup<T>>();
  for (const row of rows) {
    const group = groups.get(row.planId) ?? { planId: row.planId, planTitle: row.planTitle, rows: [] };
    group.rows.push(row);
    groups.set(row.planId, group);
  }
  return [...groups.values()];
}

/** An item about a unit's work carries assignment actions; a task-level item (汇总, 销号) carries task actions. */
function itemActions(item: InboxItemResponse, colleagues: readonly Colleague[]): ActionSpec[] {
  return item.assignmentId
    ? assignmentButtons(
        { id: item.assignmentId, allowedActions: item.allowedActions, report: item.report },
        [],
        colleagues,
      )
    : taskButtons({ id: item.taskId, allowedActions: item.taskActions });
}

/**
 * 待办: what the user's unit must do now, grouped by task list and most urgent first (the API orders rows red →
 * yellow → due date); then what the unit sent and waits on (已报送，待审核), then 乡呼县应. Each group is one
 * <section class="inbox-group">: the supervision office's open 督办 and a county leader's unread 挂牌督办 come first, as a
 * group of their own.
 */
export function InboxPage() {
  const inbox = usePolling(() => getPages<InboxResponse>('/inbox?limit=500'), 'inbox');
  const colleagues = useColleagues();
  if (!inbox.data) return <Loading error={inbox.error} />;
  const { items, sent } = inbox.data;
  const me = getSession()?.user.id;
  const calls = [...inbox.data.calls].sort(byUrgency(me));
  const { escalations, moreEscalations } = inbox.data;
  const roles = getSession()?.user.roles ?? [];
  // The supervision office works its open 督办 here; a county leader reads (已阅) and instructs (批示) on 挂牌督办.
  const readsEscalations = roles.includes('supervisor') || roles.includes('leader');
  return (
    <section>
      <h1>待办</h1>
      {inbox.error && <p className="error">刷新失败：{inbox.error}</p>}
      {readsEscalations && (
        <section className="inbox-group" aria-label="督办事项">
          <h2>
            {roles.includes('supervisor') ? '督办事项' : '县领导挂牌督办'}{' '}
            <span className="count">
              {escalations.length}
              {moreEscalations ? '+' : ''}
            </span>
          </h2>
          {escalations.length === 0 ? (
            <p className="muted">暂无需要处理的督办事项。</p>
          ) : (
            <div className="cards" data-testid="inbox-escalations">
              {escalations.map((item) => (
                <EscalationCard key={item.id} item={item} onDone={inbox.refresh} />
              ))}
            </div>
          )}
          {moreEscalations && (
            <p>
              <Link to="/board">在督查看板查看全部督办事项</Link>
            </p>
          )}
        </section>
      )}
      <section className="inbox-group" aria-label="任务待办">
        <h2>
          任务待办 <span className="count">{items.length}</span>
        </h2>
        {items.length === 0 && <p className="muted">暂无需要办理的任务。</p>}
        {groupByPlan(items).map((group) => (
          <section
            className="plan-group"
            key={group.planId}
            data-plan={group.planId}
            aria-label={`任务清单：${group.planTitle}`}
          >
            <h3 className="plan-heading">
              <span className="plan-title">{group.planTitle}</span>
              <span className="muted small">{group.rows.length} 项</span>
            </h3>
            <div className="cards">
              {group.rows.map((item) => (
                <InboxCard
                  key={`${item.kind}-${item.assignmentId ?? item.taskId}`}
                  item={item}
                  me={me}
                  actions={itemActions(item, colleagues)}
                  onDone={inbox.refresh}
                />
              ))}
            </div>
          </section>
        ))}
      </section>
      <section className="inbox-group" aria-label="已报送，待审核" data-testid="sent">
        <h2>
          已报送，待审核 <span className="count">{sent.length}</span>
        </h2>
        {sent.length === 0 ? <p className="muted">本单位暂无等待审核的报送。</p> : <SentList sent={sent} />}
      </section>
      <section className="inbox-group" aria-label="乡呼县应">
        <h2>
          乡呼县应 <span className="count">{calls.length}</span>
        </h2>
        {calls.length === 0 && <p className="muted">暂无需要处理的呼叫。</p>}
        <div className="cards">
          {calls.map((call) => (
            <article className={`card item light-edge-${call.light}`} key={`${call.kind}-${call.callId}`}>
              <div className="item-head">
                <LightBadge light={call.light} />
                <span className="tag">{inboxKindLabel(call.kind)}</span>
                {call.urgency === 'urgent' && <span className="tag urgent">{urgencyLabel(call.urgency)}</span>}
              </div>
              <h3>
                <Link to={`/calls/${call.callId}`}>{call.subject}</Link>
              </h3>
              <p className="meta">
                <span>
                  <UnitName id={call.fromUnitId} /> → <UnitName id={call.toUnitId} />
                </span>
                <span>状态：{callStatusLabel(call.status)}</span>
                <span>
                  时限：{formatDateTime(call.dueAt)}（{relativeDue(call.dueAt)}）
                </span>
              </p>
              {call.status === 'reopened' && <ReopenedCall callId={call.callId} />}
              <ActionSubject.Provider value={`呼叫：${call.subject}`}>
                <div className="actions">
                  {callButtons({ id: call.callId, allowedActions: call.allowedActions }, colleagues).map((action) => (
                    <ActionButton key={action.label} action={action} onDone={inbox.refresh} />
                  ))}
                </div>
              </ActionSubject.Provider>
            </article>
          ))}
        </div>
      </section>
    </section>
  );
}

function InboxCard({
  item,
  me,
  actions,
  onDone,
}: {
  item: InboxItemResponse;
  me: string | undefined;
  actions: ActionSpec[];
  onDone: () => void;
}) {
  const unitName = useUnitName();
  const subject = `第 ${item.taskNo} 项 ${item.taskTitle}${item.unitId ? ` · ${unitName(item.unitId)}` : ''}`;
  return (
    <article className={`card item light-edge-${item.light}`} data-kind={item.kind}>
      <div className="item-head">
        <LightBadge light={item.light} />
        <span className="tag">{inboxKindLabel(item.kind)}</span>
        {item.unitId && <UnitName id={item.unitId} className="tag" />}
        {item.handler && (
          <span className="tag" data-testid="handler">
            {item.handler.userId === me ? '我承办' : `承办人：${item.handler.displayName}`}
          </span>
        )}
      </div>
      <h4 className="card-title">
        <Link to={`/tasks/${item.taskId}`}>
          {item.taskNo}. {item.taskTitle}
        </Link>
      </h4>
      {item.urges && (
        <p className="urge-badge" data-testid="urges">
          <span className="tag urgent">已催办 {item.urges.count} 次</span>
          <span>
            最近（{formatDateTime(item.urges.lastAt)}）：{item.urges.lastText}
          </span>
        </p>
      )}
      <p className="meta">
        <span>
          状态：
          {item.kind === 'work' || item.kind === 'review'
            ? assignmentStatusLabel(item.status)
            : taskStatusLabel(item.status)}
        </span>
        <span>
          时限：{formatDateTime(item.dueAt)}（{relativeDue(item.dueAt)}）
        </span>
      </p>
      {item.kind === 'review' && <ReportView report={item.report} />}
      {item.kind === 'work' && item.status === 'returned' && <ReturnedReason report={item.report} />}
      <ActionSubject.Provider value={subject}>
        <div className="actions">
          {actions.map((action) => (
            <ActionButton key={action.label} action={action} onDone={onDone} />
          ))}
        </div>
      </ActionSubject.Provider>
    </article>
  );
}

/** 已报送，待审核: what the unit sent, under its plan, with who it waits for; it leaves once decided. */
function SentList({ sent }: { sent: readonly SentItemResponse[] }) {
  return (
    <>
      {groupByPlan(sent).map((group) => (
        <div className="plan-group" key={group.planId} data-plan={group.planId}>
          <h3 className="plan-heading">
            <span className="plan-title">{group.planTitle}</span>
          </h3>
          <ul className="sent-list">
            {group.rows.map((item) => (
              <li
                key={`${item.kind}-${item.assignmentId ?? item.taskId}`}
                className={mineClass(item.unitId, 'sent-item')}
                data-kind={item.kind}
                data-task={item.taskId}
              >
                <span className="tag">{sentKindLabel(item.kind)}</span>
                <Link to={`/tasks/${item.taskId}`}>
                  {item.taskNo}. {item.taskTitle}
                </Link>
                <UnitName id={item.unitId} />
                <span className="sent-status">{sentStatusLabel(item.kind)}</span>
                <span className="muted small">
                  {item.sentAt
                    ? `${item.kind === 'extension' ? '申请于' : '报送于'} ${formatDateTime(item.sentAt)}`
                    : ''}
                  {item.kind === 'extension' && item.requestedDueAt
                    ? `${item.sentAt ? '；' : ''}申请延至 ${formatDateTime(item.requestedDueAt)}`
                    : ''}
                </span>
                {item.reason && <span className="sent-reason">理由：{item.reason}</span>}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
