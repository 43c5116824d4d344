import type { ReactNode } from 'react';
import { get } from '../api';
import { callButtons } from '../actions';
import { ActionButton, ActionSubject, LightBadge, Link, Loading } from '../components';
import { formatDateTime, relativeDue } from '../format';
import { useColleagues, usePolling } from '../hooks';
import { auditActionLabel, callStatusLabel, escalationLevelLabel, ratingLabel, urgencyLabel } from '../labels';
import { UnitName } from '../mine';
import { AttachmentList, attachmentsIn } from '../attachments';
import { HandlerText } from './TaskPage';
import type { AuditEventResponse, CallDetailResponse } from '../api-types';

const PHASE_LABELS: Record<string, string> = { respond: '签收', resolve: '办结', evaluate: '评价' };

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** One line of the call's trail: what happened, in the call's own words (who, from → to, why, the rating). */
function TrailEntry({ event }: { event: AuditEventResponse }) {
  const payload = event.payload ?? {};
  const phase = PHASE_LABELS[text(payload.phase)] ?? '';
  let title = auditActionLabel(event.action);
  let detail: ReactNode = null;
  let note = '';
  switch (event.action) {
    case 'call.raised':
      note = text(payload.subject);
      break;
    case 'call.limit-set':
      title = `设定${phase}时限`;
      detail = <span>{formatDateTime(text(payload.dueAt))}前</span>;
      break;
    case 'call.reminded':
      title = `${phase}时限临近提醒`;
      break;
    case 'call.escalated':
      title = `超时未${phase}，升级督办`;
      detail = <span className="tag urgent">{escalationLevelLabel(String(payload.level))}</span>;
      break;
    case 'call.reassigned':
      detail = (
        <span className="trail-move" data-testid="reassign-trail">
          <UnitName id={text(payload.from)} /> → <UnitName id={text(payload.to)} />
        </span>
      );
      note = text(payload.note) && `转办理由：${text(payload.note)}`;
      break;
    case 'call.extended':
      title = `${phase}时限延期`;
      detail = (
        <span>
          {formatDateTime(text(payload.before))} → {formatDateTime(text(payload.after))}
        </span>
      );
      note = text(payload.note);
      break;
    case 'call.evaluated':
      detail = <span className="tag">{ratingLabel(text(payload.rating))}</span>;
      note = text(payload.comment) && `评价意见：${text(payload.comment)}`;
      break;
    case 'call.auto-closed':
      title = '逾期未评价，按满意自动关闭';
      break;
    default:
      note = text(payload.note) || text(payload.resolution) || text(payload.instruction);
      if (event.action.startsWith('escalation.')) {
        detail = <span className="muted small">处理{escalationLevelLabel(String(payload.level))}督办</span>;
        // A 转办's reason stands on the move itself (call.reassigned: from → to); said once is enough.
        if (event.action === 'escalation.reassign') note = '';
      }
  }
  if (event.action === 'call.responded') note = text(payload.note) && `签收说明：${text(payload.note)}`;
  if (event.action === 'call.resolved') note = `办理结果：${text(payload.resolution)}`;
  const closed = payload.after === 'closed' && event.action !== 'call.auto-closed';
  return (
    <li data-action={event.action}>
      <time>{formatDateTime(event.at)}</time>
      <span className="timeline-action">{title}</span>
      {detail}
      {event.actorUnitId ? (
        <span className="muted small">
          操作：
          <UnitName id={event.actorUnitId} />
        </span>
      ) : (
        <span className="muted small">系统</span>
      )}
      {closed && <span className="tag">呼叫已关闭</span>}
      {note && <div className="timeline-note">{note}</div>}
      <AttachmentList files={attachmentsIn(payload)} />
    </li>
  );
}

/** 呼叫详情: one 乡呼县应 call, what may be done to it now, and its whole trail (转办 with reasons, evaluation). */
export function CallPage({ callId }: { callId: string }) {
  const detail = usePolling(() => get<CallDetailResponse>(`/calls/${callId}`), callId);
  const colleagues = useColleagues();
  if (!detail.data) return <Loading error={detail.error} />;
  const call = detail.data;
  const open = !['resolved', 'closed'].includes(call.status);
  const dueAt = call.status === 'raised' ? call.respondBy : call.resolveBy;
  const trail = [...call.timeline].sort((a, b) => a.seq - b.seq);
  const actions = callButtons(call, colleagues);
  return (
    <section className="call-page">
      <p className="crumbs">
        <Link to="/calls">乡呼县应</Link> / 呼叫详情
      </p>
      <h1>{call.subject}</h1>
      <div className="summary-row">
        <LightBadge light={call.light} />
        <span className="tag" data-testid="call-status">
          {callStatusLabel(call.status)}
        </span>
        {call.urgency === 'urgent' && <span className="tag urgent">{urgencyLabel(call.urgency)}</span>}
        {call.flagged && <span className="tag urgent">挂牌督办</span>}
        {call.escalationLevel > 0 && (
          <span className="tag urgent">{escalationLevelLabel(String(call.escalationLevel))}</span>
        )}
      </div>
      <div className="card call-facts">
        <p className="meta">
          <span>
            呼叫：
            <UnitName id={call.fromUnitId} /> → <UnitName id={call.toUnitId} />
          </span>
          <span>发起：{formatDateTime(call.raisedAt)}</span>
          {open && (
            <span>
              {call.status === 'raised' ? '签收时限' : '办结时限'}：{formatDateTime(dueAt)}（{relativeDue(dueAt)}）
            </span>
          )}
          {call.reworkCount > 0 && <span>返工 {call.reworkCount} 次</span>}
          <span data-testid="handler">
            承办人：
            <HandlerText handler={call.handler} />
          </span>
        </p>
        <p className="call-description">{call.description}</p>
        {call.rating && <p>评价：{ratingLabel(call.rating)}</p>}
      </div>
      {actions.length > 0 && (
        <ActionSubject.Provider value={`呼叫：${call.subject}`}>
          <div className="actions">
            {actions.map((action) => (
              <ActionButton key={action.label} action={action} onDone={detail.refresh} />
            ))}
          </div>
        </ActionSubject.Provider>
      )}
      {detail.error && <p className="error">刷新失败：{detail.error}</p>}
      <h2>办理全过程</h2>
      <ol className="timeline call-trail" data-testid="call-trail">
        {trail.map((event) => (
          <TrailEntry key={event.seq} event={event} />
        ))}
      </ol>
    </section>
  );
}
