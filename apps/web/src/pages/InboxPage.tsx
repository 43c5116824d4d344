import { assignmentButtons, callButtons, taskButtons } from '../actions';
import { ActionButton, ActionSpec, LightBadge, Link, Loading } from '../components';
import { formatDateTime, relativeDue } from '../format';
import { getPages, getSession } from '../api';
import { Colleague } from '../actions';
import { useColleagues, usePolling, useUnitName } from '../hooks';
import { assignmentStatusLabel, callStatusLabel, inboxKindLabel, taskStatusLabel, urgencyLabel } from '../labels';
import type { CallInboxItemResponse, InboxItemResponse, InboxResponse } from '../api-types';
import { ReopenedCall, ReportView, ReturnedReason } from '../reports';
import { EscalationCard } from './EscalationQueue';

const LIGHT_ORDER: Record<string, number> = { red: 0, yellow: 1, green: 2 };
/** A call handed to the reader (承办人) comes first, as the API orders task rows; then the most urgent. */
const byUrgency = (userId: string | undefined) => (a: CallInboxItemResponse, b: CallInboxItemResponse) =>
  Number(b.handler?.userId === userId) - Number(a.handler?.userId === userId) ||
  (LIGHT_ORDER[a.light] ?? 3) - (LIGHT_ORDER[b.light] ?? 3) ||
  (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity);

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

/** 待办: what the user's unit must do now, most urgent first (the API orders tasks red → yellow → due date). */
export function InboxPage() {
  const inbox = usePolling(() => getPages<InboxResponse>('/inbox?limit=500'), 'inbox');
  const unitName = useUnitName();
  const colleagues = useColleagues();
  if (!inbox.data) return <Loading error={inbox.error} />;
  const { items } = inbox.data;
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
        <>
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
        </>
      )}
      <h2>
        任务待办 <span className="count">{items.length}</span>
      </h2>
      {items.length === 0 && <p className="muted">暂无需要办理的任务。</p>}
      <div className="cards">
        {items.map((item) => (
          <article
            className={`card item light-edge-${item.light}`}
            key={`${item.kind}-${item.assignmentId ?? item.taskId}`}
          >
            <div className="item-head">
              <LightBadge light={item.light} />
              <span className="tag">{inboxKindLabel(item.kind)}</span>
              {item.kind === 'review' && <span className="tag">{unitName(item.unitId)}</span>}
              {item.handler && (
                <span className="tag" data-testid="handler">
                  {item.handler.userId === me ? '我承办' : `承办人：${item.handler.displayName}`}
                </span>
              )}
            </div>
            <h3>
              <Link to={`/tasks/${item.taskId}`}>
                {item.taskNo}. {item.taskTitle}
              </Link>
            </h3>
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
            <div className="actions">
              {itemActions(item, colleagues).map((action) => (
                <ActionButton key={action.label} action={action} onDone={inbox.refresh} />
              ))}
            </div>
          </article>
        ))}
      </div>
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
            <h3>{call.subject}</h3>
            <p className="meta">
              <span>
                {unitName(call.fromUnitId)} → {unitName(call.toUnitId)}
              </span>
              <span>状态：{callStatusLabel(call.status)}</span>
              <span>
                时限：{formatDateTime(call.dueAt)}（{relativeDue(call.dueAt)}）
              </span>
            </p>
            {call.status === 'reopened' && <ReopenedCall callId={call.callId} />}
            <div className="actions">
              {callButtons({ id: call.callId, allowedActions: call.allowedActions }, colleagues).map((action) => (
                <ActionButton key={action.label} action={action} onDone={inbox.refresh} />
              ))}
            </div>
          </article>
        ))}
      </div>
    </section>
  );
}
