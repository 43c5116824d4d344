import { get } from '../api';
import { assignmentButtons, taskButtons } from '../actions';
import { ActionButton, ActionSubject, LightBadge, Link, Loading } from '../components';
import { formatDateTime, formatDay, relativeDue } from '../format';
import { DeadlineChangeList, deadlineChanges, echoesTaskChange } from '../deadline-changes';
import { useColleagues, usePolling, useUnitName, useUnits } from '../hooks';
import {
  assignmentStatusLabel,
  auditActionLabel,
  escalationActionLabel,
  escalationLevelLabel,
  roleInTaskLabel,
  taskStatusLabel,
} from '../labels';
import type { AuditEventResponse, HandlerResponse, TaskDetailResponse } from '../api-types';
import { ReportHistoryDetails, ReportView, ReturnedReason } from '../reports';
import { PrintButton, PrintStamp } from '../print';
import { AttachmentList, attachmentsIn } from '../attachments';
import { mineClass, UnitName } from '../mine';

/** The note a person wrote with an event, whichever field the action uses for it. */
function eventNote(event: AuditEventResponse): string {
  const payload = event.payload ?? {};
  for (const key of ['note', 'summary', 'comment', 'reason', 'resolution']) {
    const value = payload[key];
    if (typeof value === 'string' && value) return value;
  }
  return '';
}

/** 任务页: measures, goals, every unit's status, the audit timeline and the escalations of one task. */
export function TaskPage({ taskId }: { taskId: string }) {
  const detail = usePolling(() => get<TaskDetailResponse>(`/tasks/${taskId}`), taskId);
  const unitName = useUnitName();
  const units = useUnits();
  const colleagues = useColleagues();
  if (!detail.data) return <Loading error={detail.error} />;
  const task = detail.data;
  const assignmentUnit = new Map(task.assignments.map((assignment) => [assignment.id, assignment.unitId]));
  const taskActions = taskButtons(task, units);
  const changes = deadlineChanges(task.timeline, (assignmentId) => assignmentUnit.get(assignmentId));

  return (
    <section className="task-page">
      <p className="crumbs">
        <Link to="/tasks">任务</Link> / 第 {task.no} 项
      </p>
      <PrintStamp title={`任务 ${task.no}`} />
      <div className="page-head">
        <h1>
          {task.no}. {task.title}
        </h1>
        <PrintButton />
      </div>
      <div className="summary-row">
        <LightBadge light={task.light} />
        <span className="tag">{taskStatusLabel(task.status)}</span>
        {/* The date in force first: the list's own words ("2021年4月底前") are history once a year or a change moved it. */}
        <span data-testid="task-due">
          完成时限：
          {task.deadline.dueAt ? (
            <>
              <strong className="nowrap">{formatDay(task.deadline.dueAt)}</strong>
              <span className="nowrap">（{relativeDue(task.deadline.dueAt)}）</span>
            </>
          ) : (
            task.deadline.text
          )}
        </span>
        {task.deadline.dueAt && <span className="muted small">清单原文：{task.deadline.text}</span>}
        <span>牵头：{task.leadUnitIds.map(unitName).join('、')}</span>
      </div>
      {taskActions.length > 0 && (
        <ActionSubject.Provider value={`第 ${task.no} 项 ${task.title}`}>
          <div className="actions">
            {taskActions.map((action) => (
              <ActionButton key={action.label} action={action} onDone={detail.refresh} />
            ))}
          </div>
        </ActionSubject.Provider>
      )}
      {detail.error && <p className="error">刷新失败：{detail.error}</p>}
      {task.instructions.length > 0 && (
        <div className="card instructions" aria-label="领导批示">
          <h2>领导批示</h2>
          <ul>
            {task.instructions.map((instruction) => (
              <li key={instruction.id}>
                <p className="instruction-body">{instruction.body}</p>
                <span className="muted">
                  {instruction.authorName}（{instruction.authorUnitName}）· {formatDateTime(instruction.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="two-columns">
        <div className="card">
          <h2>推进措施</h2>
          <ol>
            {task.measures.map((measure, index) => (
              <li key={index}>{measure}</li>
            ))}
          </ol>
        </div>
        <div className="card">
          <h2>预期目标</h2>
          <ol>
            {task.goals.map((goal, index) => (
              <li key={index}>{goal}</li>
            ))}
          </ol>
        </div>
      </div>

      <h2>单位办理情况</h2>
      <div className="table-scroll">
        <table className="responsive" data-testid="task-units">
          <thead>
            <tr>
              <th>单位</th>
              <th>角色</th>
              <th>状态</th>
              <th>时限</th>
              <th>灯色</th>
              <th>督办级别</th>
              <th>承办人</th>
              <th className="no-print">操作</th>
            </tr>
          </thead>
          <tbody>
            {task.assignments.map((assignment) => (
              <tr key={assignment.id} data-unit={assignment.unitId} className={mineClass(assignment.unitId)}>
                <td data-label="单位">
                  <UnitName id={assignment.unitId} />
                </td>
                <td data-label="角色">{roleInTaskLabel(assignment.role)}</td>
                <td data-label="状态">{assignmentStatusLabel(assignment.status)}</td>
                <td data-label="时限" className="nowrap">
                  {formatDay(assignment.dueAt)}
                </td>
                <td data-label="灯色">
                  <LightBadge light={assignment.light} />
                </td>
                <td data-label="督办级别">{assignment.escalationLevel || '—'}</td>
                <td data-label="承办人" data-testid="handler">
                  <HandlerText handler={assignment.handler} />
                </td>
                <td data-label="操作" className="no-print">
                  <ActionSubject.Provider value={`第 ${task.no} 项 ${task.title} · ${unitName(assignment.unitId)}`}>
                    <div className="actions">
                      {assignmentButtons(assignment, units, colleagues).map((action) => (
                        <ActionButton key={action.label} action={action} onDone={detail.refresh} />
                      ))}
                    </div>
                  </ActionSubject.Provider>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <DeadlineChangeList changes={changes} unitName={unitName} />

      <h2>各单位报告</h2>
      <div className="cards unit-reports" data-testid="unit-reports">
        {task.assignments.map((assignment) => (
          <div className={mineClass(assignment.unitId, 'card')} key={assignment.id} data-unit={assignment.unitId}>
            <h3>
              {unitName(assignment.unitId)}
              <span className="tag">{assignmentStatusLabel(assignment.status)}</span>
            </h3>
            <ReportView report={assignment.report} />
            {assignment.status === 'returned' && <ReturnedReason report={assignment.report} />}
            <ReportHistoryDetails assignmentId={assignment.id} />
          </div>
        ))}
      </div>

      <h2>督办记录</h2>
      {task.escalations.length === 0 ? (
        <p className="muted">无逾期升级。</p>
      ) : (
        <ul className="plain-list">
          {task.escalations.map((escalation) => (
            <li key={escalation.id}>
              <strong>{escalationLevelLabel(String(escalation.level))}</strong> · {unitName(escalation.unitId)} ·{' '}
              {formatDateTime(escalation.createdAt)}
              {escalation.handledAt ? `（已处理：${escalationActionLabel(escalation.action)}）` : '（待处理）'}
            </li>
          ))}
        </ul>
      )}

      <h2>办理时间线</h2>
      <ol className="timeline">
        {[...task.timeline]
          .reverse()
          .filter((event) => !echoesTaskChange(event, changes))
          .map((event) => {
            const note = eventNote(event);
            const unit = event.subjectType === 'assignment' ? assignmentUnit.get(event.subjectId) : null;
            return (
              <li key={event.seq}>
                <time>{formatDateTime(event.at)}</time>
                <span className="timeline-action">{auditActionLabel(event.action)}</span>
                {unit && <span className="tag">{unitName(unit)}</span>}
                {event.actorUnitId && event.actorUnitId !== unit && (
                  <span className="muted small">操作：{unitName(event.actorUnitId)}</span>
                )}
                {note && <div className="timeline-note">{note}</div>}
                <AttachmentList files={attachmentsIn(event.payload)} />
              </li>
            );
          })}
      </ol>
    </section>
  );
}

/** 承办人: the named colleague, with the phone where the reader may see it. */
export function HandlerText({ handler }: { handler: HandlerResponse | null }) {
  if (!handler) return <span className="muted">未指定</span>;
  return (
    <span>
      {handler.displayName}
      {handler.phone && `（${handler.phone}）`}
    </span>
  );
}
