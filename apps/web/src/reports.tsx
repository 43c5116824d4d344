/**
 * What a decision is about, shown where it is taken (issue 16): the unit's report and its files on the review card
 * and in the 审核通过 / 退回 dialogs, why a report came back, every unit's approved report in the 汇总 dialog, what
 * the township said of a reopened call, and an assignment's report history on the task page.
 */
import { useEffect, useRef, useState } from 'react';
import { errorMessage, get } from './api';
import { AttachmentList, attachmentsIn } from './attachments';
import { Loading } from './components';
import { formatDateTime } from './format';
import { useUnitName } from './hooks';
import { auditActionLabel, ratingLabel } from './labels';
import type {
  AssignmentDetailResponse,
  AuditEventResponse,
  CallDetailResponse,
  LatestReportResponse,
  ReportEventResponse,
  TaskDetailResponse,
} from './api-types';

/** Loads once when shown (a dialog's context, an opened section): these views do not need the pages' polling. */
function useOnce<T>(load: () => Promise<T>, key: string): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  // `key` names what is loaded; `load` is a new closure on every render, so the effect reads the latest one.
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState({ data: null, error: null });
    loadRef.current().then(
      (data) => live && setState({ data, error: null }),
      (caught: unknown) => live && setState({ data: null, error: errorMessage(caught) }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/** The unit's latest report as the lead head decides on it: its summary, percentage and files. */
export function ReportView({ report }: { report: LatestReportResponse | null | undefined }) {
  const submitted = report?.submitted;
  const progress = report?.progress;
  if (!submitted && !progress) return <p className="muted">该单位尚未报送办理情况。</p>;
  return (
    <div className="report" data-testid="report">
      {submitted && (
        <>
          <p>
            <strong>办理情况：</strong>
            {submitted.summary}
            <span className="muted small">（{formatDateTime(submitted.at)} 提交）</span>
          </p>
          {submitted.evidence.length > 0 && <p className="muted">其他佐证：{submitted.evidence.join('；')}</p>}
          <AttachmentList files={submitted.attachments} />
        </>
      )}
      {progress && (
        <>
          <p>
            <strong>完成比例：</strong>
            {progress.percent}%<span className="muted small">（{formatDateTime(progress.at)} 报告进展）</span>
            {progress.note && <span className="muted">，{progress.note}</span>}
          </p>
          <AttachmentList files={progress.attachments} />
        </>
      )}
    </div>
  );
}

/** Why the lead unit returned the report: what the unit must put right before it submits again. */
export function ReturnedReason({ report }: { report: LatestReportResponse | null | undefined }) {
  if (!report?.returned) return null;
  return (
    <p className="returned" data-testid="returned-reason">
      <strong>退回原因：</strong>
      {report.returned.reason}
      <span className="muted small">（{formatDateTime(report.returned.at)}）</span>
    </p>
  );
}

/** The 汇总 dialog's content: every responsible unit's approved report with its files (GET /tasks/{id}). */
export function ConsolidationReports({ taskId }: { taskId: string }) {
  const task = useOnce(() => get<TaskDetailResponse>(`/tasks/${taskId}`), taskId);
  const unitName = useUnitName();
  if (!task.data) return <Loading error={task.error} />;
  const approved = task.data.assignments.filter(
    (assignment) => assignment.role === 'responsible' && assignment.status === 'approved',
  );
  if (approved.length === 0) return <p className="muted">尚无审核通过的责任单位报告。</p>;
  return (
    <div data-testid="consolidation-reports">
      <p>各责任单位审核通过的办理情况：</p>
      <ul className="plain-list">
        {approved.map((assignment) => (
          <li key={assignment.id} data-unit={assignment.unitId}>
            <strong>{unitName(assignment.unitId)}</strong>
            <ReportView report={assignment.report} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The last event of `action` before `before` (the timeline is oldest first), or null. */
function lastBefore(
  timeline: readonly AuditEventResponse[],
  action: string,
  before: number,
): AuditEventResponse | null {
  for (let index = before - 1; index >= 0; index -= 1) if (timeline[index].action === action) return timeline[index];
  return null;
}

/**
 * A reopened call on the called unit's card: the township's 不满意 comment and the resolution it was about, with
 * their files (from the call's timeline), so the unit knows what to do again.
 */
export function ReopenedCall({ callId }: { callId: string }) {
  const call = useOnce(() => get<CallDetailResponse>(`/calls/${callId}`), callId);
  if (!call.data) return call.error ? <Loading error={call.error} /> : null;
  const timeline = [...call.data.timeline].sort((a, b) => a.seq - b.seq);
  const evaluationIndex = timeline.findLastIndex(
    (event) => event.action === 'call.evaluated' && event.payload.rating === 'dissatisfied',
  );
  if (evaluationIndex < 0) return null;
  const evaluation = timeline[evaluationIndex];
  const resolution = lastBefore(timeline, 'call.resolved', evaluationIndex);
  const comment = typeof evaluation.payload.comment === 'string' ? evaluation.payload.comment : '';
  return (
    <div className="reopened" data-testid="reopened">
      <p>
        <strong>乡镇评价：</strong>
        {ratingLabel('dissatisfied')}
        {comment ? `——${comment}` : '（未填写意见）'}
        <span className="muted small">（{formatDateTime(evaluation.at)}）</span>
      </p>
      <AttachmentList files={attachmentsIn(evaluation.payload)} />
      {resolution && (
        <>
          <p className="muted">
            上次办理结果：{String(resolution.payload.resolution ?? '')}
            <span className="small">（{formatDateTime(resolution.at)}）</span>
          </p>
          <AttachmentList files={attachmentsIn(resolution.payload)} />
        </>
      )}
    </div>
  );
}

/** What one step of a report's history says: the note, summary or reason its action carries. */
function reportText(event: ReportEventResponse): string {
  const { payload } = event;
  const text = [payload.summary, payload.note, payload.reason, payload.comment].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const percent = typeof payload.percent === 'number' ? `${payload.percent}%` : '';
  return [percent, text ?? ''].filter(Boolean).join(' · ');
}

/** 报告记录: an assignment's progress reports, submissions, 退回 and approvals, oldest first (GET /assignments/{id}). */
export function ReportHistory({ assignmentId }: { assignmentId: string }) {
  const detail = useOnce(() => get<AssignmentDetailResponse>(`/assignments/${assignmentId}`), assignmentId);
  const unitName = useUnitName();
  if (!detail.data) return <Loading error={detail.error} />;
  const { reports } = detail.data;
  if (reports.length === 0) return <p className="muted">尚无报告记录。</p>;
  return (
    <ol className="report-history" data-testid="report-history">
      {reports.map((event, index) => (
        <li key={index}>
          <time>{formatDateTime(event.at)}</time>
          <span className="timeline-action">{auditActionLabel(event.action)}</span>
          {event.actorUnitId && <span className="muted small">{unitName(event.actorUnitId)}</span>}
          {reportText(event) && <div className="timeline-note">{reportText(event)}</div>}
          <AttachmentList files={attachmentsIn(event.payload)} />
        </li>
      ))}
    </ol>
  );
}

/** 报告记录 of one unit, folded: the history is one request per unit, made only when someone opens it. */
export function ReportHistoryDetails({ assignmentId }: { assignmentId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>报告记录</summary>
      {open && <ReportHistory assignmentId={assignmentId} />}
    </details>
  );
}

/**
 * A call's 佐证材料 in the dialog that decides on it: the township's own files when the county unit resolves it,
 * the resolution and its files when the township evaluates it (both from the call's timeline).
 */
export function CallMaterials({ callId, step }: { callId: string; step: 'raised' | 'resolved' }) {
  const call = useOnce(() => get<CallDetailResponse>(`/calls/${callId}`), callId);
  if (!call.data) return <Loading error={call.error} />;
  const timeline = [...call.data.timeline].sort((a, b) => a.seq - b.seq);
  const event = lastBefore(timeline, `call.${step}`, timeline.length);
  if (!event) return null;
  return (
    <div className="report" data-testid="call-materials">
      {step === 'resolved' && (
        <p>
          <strong>办理结果：</strong>
          {String(event.payload.resolution ?? '')}
          <span className="muted small">（{formatDateTime(event.at)}）</span>
        </p>
      )}
      {step === 'raised' && <p>{call.data.description}</p>}
      <AttachmentList files={attachmentsIn(event.payload)} />
    </div>
  );
}

/** The 销号 and 退回 dialogs' content: the lead unit's last consolidated report and its files (the task's timeline). */
export function ConsolidatedReport({ taskId }: { taskId: string }) {
  const task = useOnce(() => get<TaskDetailResponse>(`/tasks/${taskId}`), taskId);
  if (!task.data) return <Loading error={task.error} />;
  const timeline = [...task.data.timeline].sort((a, b) => a.seq - b.seq);
  const report = lastBefore(timeline, 'task.consolidated', timeline.length);
  if (!report) return <p className="muted">牵头单位尚未报送汇总情况。</p>;
  return (
    <div className="report" data-testid="consolidated-report">
      <p>
        <strong>汇总情况：</strong>
        {String(report.payload.summary ?? '')}
        <span className="muted small">（{formatDateTime(report.at)} 报送）</span>
      </p>
      <AttachmentList files={attachmentsIn(report.payload)} />
    </div>
  );
}
