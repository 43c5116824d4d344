import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  Actor,
  AssignmentAction,
  AssignmentRole,
  AssignmentStatus,
  AssignmentTransition,
  afterDeadlineChange,
  DeadlineChangeSource,
  decideAssignmentAction,
  dueAfterReport,
  ENDED_ASSIGNMENT_STATUSES,
  initialDeadlines,
  UnitDeadlines,
  workingDeadline,
  nextReportDue,
  OPEN_ASSIGNMENT_STATUSES,
  ReportingCycle,
  Role,
  shanghaiDate,
} from '@county/domain';
import {
  acknowledgeUpdate,
  ActionRequest,
  ASSIGNMENT_REQUESTS,
  approveUpdate,
  assignmentViewQuery,
  AssignmentView,
  AssignmentWorkflowInput,
  deadlineChangedSignal,
  endAssignmentSignal,
  progressUpdate,
  reassignAnsweredSignal,
  returnUpdate,
  submitUpdate,
} from './assignment.contracts';
import {
  ClockEvent,
  ClockEventId,
  clockEvent,
  clockSteps,
  deadlineSchedule,
  ESCALATION_NAMES,
  ESCALATION_TARGETS,
} from './deadline-clock';
import { Projector } from './projection';
import { refuseInvalidRequest } from './request-validation';

/** The status sets live in libs/domain (assignment-state.ts), one copy for the API, the workflows and the console. */
const ENDED = ENDED_ASSIGNMENT_STATUSES;
const CLOCK_STATUSES = OPEN_ASSIGNMENT_STATUSES;

/** Patch id: the deadline clock computes each event's instant when it reaches it (see clockSteps). */
const LAZY_CLOCK = 'lazy-deadline-clock';
/**
 * Patch id: the assignment keeps the task's deadline, its own (an approved extension, the office's 延期) and the
 * one it is assessed against, and works to the later of the first two (a task-level change never shortens an
 * approved extension).
 */
const UNIT_DEADLINES = 'unit-deadlines';

/**
 * One unit's part of a task (DESIGN §4): assigned → acknowledged → in progress → submitted → approved, or
 * submitted → returned → resubmitted. Every human action is an update whose validator re-checks who may
 * act and in which state; the result is projected to PostgreSQL (with its audit event and notifications)
 * before the update answers, so the caller reads its own write.
 *
 * An ongoing task's assignment (长期坚持) has no deadline: a progress report is due every reporting cycle,
 * and each report (or the report's due time) starts the next cycle. Such an assignment can run for years,
 * so it continues as new whenever Temporal suggests it, carrying its state and its projection sequence.
 */
export async function assignmentWorkflow(input: AssignmentWorkflowInput): Promise<AssignmentView> {
  const continued = input.continued;
  const view: AssignmentView = continued
    ? withoutHistory(continued.view)
    : {
        assignmentId: input.assignmentId,
        unitId: input.unitId,
        role: input.role,
        status: AssignmentStatus.Assigned,
        percent: null,
        dueAt: input.dueAt,
        escalationLevel: 0,
        light: 'green',
      };
  const parties = { unitId: input.unitId, leadUnitIds: input.leadUnitIds };
  const projector = new Projector(continued?.projectedChanges);
  let taskEnded = continued?.taskEnded ?? false;
  /** The ongoing task's reporting cycle; null once the task has a fixed deadline. */
  let cycle: ReportingCycle | null = input.reportingCycle ?? null;
  const cycleAnchor = continued?.cycleAnchor ?? Date.now();
  if (cycle && !continued && view.dueAt === null) view.dueAt = isoAt(nextReportDue(cycle, cycleAnchor, cycleAnchor));
  const dueWhat = () => (cycle ? '本期工作进展报送' : '任务');

  const audit = (action: string, actor: Actor | null, payload: Record<string, unknown>) => ({
    actorUserId: actor?.userId ?? null,
    actorUnitId: actor?.unitId ?? null,
    action: `assignment.${action}`,
    subjectType: 'assignment',
    subjectId: input.assignmentId,
    workflowId: workflowInfo().workflowId,
    payload: { taskId: input.taskId, unitId: input.unitId, ...payload },
  });
  const notify = (recipientUnitId: string, recipientRole: string | null, kind: string, title: string) => ({
    recipientUnitId,
    recipientRole,
    kind,
    subjectType: 'assignment',
    subjectId: input.assignmentId,
    title,
    body: `任务「${input.taskTitle}」`,
  });

  /** Registers one action: validator and handler share the same decision function. */
  function handle<Request extends ActionRequest>(
    action: AssignmentTransition,
    details: (request: Request) => {
      payload: Record<string, unknown>;
      notifications: ReturnType<typeof notify>[];
      /** More read-model fields this action changes (an ongoing task's next report date). */
      assignment?: { dueAt: string | null; escalationLevel: number; light: 'green' };
    },
  ) {
    const shape = ASSIGNMENT_REQUESTS[action];
    const decide = (request: Request) => {
      const decision = decideAssignmentAction(action, view.status, request.actor, parties);
      // The code is the domain error code, so the API maps it to 403 / 409 without guessing.
      if (!decision.allowed) throw ApplicationFailure.nonRetryable(decision.reason, decision.code);
      return decision.to;
    };
    return {
      validator: (request: Request) => {
        refuseInvalidRequest(request, shape);
        decide(request);
      },
      handler: async (request: Request): Promise<AssignmentView> => {
        // Decided again synchronously: another update accepted in the same batch may have moved the state.
        const before = view.status;
        const to = decide(request);
        const { payload, notifications, assignment } = details(request);
        view.status = to;
        await projector.write(action, {
          assignment: { id: input.assignmentId, status: to, ...assignment },
          // An ongoing task's report answers the missed cycle: its escalations lose their cause.
          ...(assignment
            ? { resolvesOpenEscalations: { subjectType: 'assignment', subjectId: input.assignmentId } }
            : {}),
          audit: audit(action, request.actor, { before, after: to, ...payload }),
          notifications,
        });
        return { ...view };
      },
    };
  }

  /**
   * A progress report or a submitted report on an ongoing task answers its cycle's report: the clock
   * re-arms for the next report due (see dueAfterReport).
   */
  function reportReceived(): { dueAt: string | null; escalationLevel: number; light: 'green' } | undefined {
    if (!cycle || view.dueAt === null) return undefined;
    const currentDue = Date.parse(view.dueAt);
    const nextDue = dueAfterReport(cycle, Date.now(), currentDue, cycleAnchor);
    if (nextDue === currentDue) return undefined;
    view.dueAt = isoAt(nextDue);
    deadlineVersion += 1;
    view.escalationLevel = 0;
    view.light = 'green';
    return { dueAt: view.dueAt, escalationLevel: 0, light: 'green' };
  }

  const leadHeads = (kind: string, title: string) =>
    input.leadUnitIds.map((unitId) => notify(unitId, Role.Head, kind, title));

  const acknowledge = handle<ActionRequest & { note?: string }>(AssignmentAction.Acknowledge, ({ note }) => ({
    payload: { note },
    notifications: [],
  }));
  setHandler(acknowledgeUpdate, acknowledge.handler, { validator: acknowledge.validator });

  const progress = handle<ActionRequest & { note: string; percent: number }>(
    AssignmentAction.Progress,
    ({ note, percent }) => {
      view.percent = percent;
      const assignment = reportReceived();
      return { payload: { note, percent, nextReportDueAt: assignment?.dueAt }, notifications: [], assignment };
    },
  );
  setHandler(progressUpdate, progress.handler, { validator: progress.validator });

  const submit = handle<ActionRequest & { summary: string; evidence: string[] }>(
    AssignmentAction.Submit,
    ({ summary, evidence }) => ({
      payload: { summary, evidence },
      notifications: leadHeads('report-submitted', '有单位报送了任务完成情况，待审核'),
      assignment: reportReceived(),
    }),
  );
  setHandler(submitUpdate, submit.handler, { validator: submit.validator });

  const approve = handle<ActionRequest & { comment?: string }>(AssignmentAction.Approve, ({ comment }) => ({
    payload: { comment },
    notifications: [notify(input.unitId, null, 'report-approved', '报送的完成情况已审核通过')],
  }));
  setHandler(approveUpdate, approve.handler, { validator: approve.validator });

  const sendBack = handle<ActionRequest & { reason: string }>(AssignmentAction.Return, ({ reason }) => ({
    payload: { reason },
    notifications: [notify(input.unitId, null, 'report-returned', `报送的完成情况被退回：${reason}`)],
  }));
  setHandler(returnUpdate, sendBack.handler, { validator: sendBack.validator });

  setHandler(assignmentViewQuery, () => ({ ...view }));

  // The deadline clock: a new deadline re-arms every reminder and escalation (the version is part of
  // each event's identity, so the old deadline's events never fire for the new one).
  let deadlineVersion = continued?.deadlineVersion ?? 0;
  /** The task's deadline, the unit's own and the one it is assessed against (DESIGN §4.5, see UnitDeadlines). */
  let deadlines: UnitDeadlines =
    continued?.deadlines ?? initialDeadlines(continued ? (cycle ? null : view.dueAt) : input.dueAt);
  const rearm = (
    dueAt: string | null,
    reason: string,
    before: string | null,
    extra: Record<string, unknown>,
    assessed?: { assessedDueAt: string | null },
  ) => {
    // A fixed deadline given to an ongoing task ends its reporting cycle.
    if (dueAt !== null) cycle = null;
    deadlineVersion += 1;
    view.dueAt = dueAt;
    view.escalationLevel = 0;
    view.light = 'green';
    void projector.write('deadline-changed', {
      assignment: { id: input.assignmentId, dueAt, escalationLevel: 0, light: 'green', ...assessed },
      resolvesOpenEscalations: { subjectType: 'assignment', subjectId: input.assignmentId },
      audit: audit('deadline-changed', null, { before, after: dueAt, reason, ...extra }),
      notifications: [notify(input.unitId, null, 'deadline-changed', `完成时限已调整：${reason}`)],
    });
  };
  setHandler(deadlineChangedSignal, ({ dueAt, reason, source }) => {
    const before = view.dueAt;
    const change = { source: source ?? DeadlineChangeSource.Task, dueAt };
    deadlines = afterDeadlineChange(deadlines, change, Date.now());
    if (!patched(UNIT_DEADLINES)) {
      // Before UNIT_DEADLINES: every change, the task's too, set the unit's deadline.
      rearm(dueAt, reason, before, {});
      return;
    }
    const working = workingDeadline(deadlines);
    const assessed = { assessedDueAt: deadlines.assessed };
    const extra = { source: change.source, taskDueAt: deadlines.task, unitDueAt: deadlines.unit, ...assessed };
    if (change.source === DeadlineChangeSource.Task && deadlines.unit !== null && working === before) {
      // The unit's own later deadline stands: nothing re-arms, but the unit hears of the task's new date.
      void projector.write('deadline-kept', {
        assignment: { id: input.assignmentId, ...assessed },
        audit: audit('deadline-kept', null, { dueAt: before, reason, ...extra }),
        notifications: [
          notify(
            input.unitId,
            null,
            'deadline-changed',
            `任务完成时限已调整为 ${dayOf(dueAt)}（${reason}）；本单位已获延期，仍以 ${dayOf(before)} 为限`,
          ),
        ],
      });
      return;
    }
    rearm(working, reason, before, extra, assessed);
  });
  /** Answers to 转办 requests still being sent (the workflow does not complete before they are out). */
  const answers: Promise<unknown>[] = [];
  setHandler(endAssignmentSignal, ({ status, reason, replyTo, requestId }) => {
    if (status === 'reassigned') {
      // Decided here, once, against this workflow's own state: an approval accepted first wins, and the
      // 转办 is refused; a 转办 accepted first makes any later approval fail its validator.
      const accepted = !ENDED.includes(view.status);
      if (accepted) {
        view.status = AssignmentStatus.Reassigned;
        void projector.write('reassigned', {
          assignment: { id: input.assignmentId, status: AssignmentStatus.Reassigned },
          audit: audit('reassigned', null, { reason }),
          notifications: [notify(input.unitId, null, 'assignment-reassigned', `任务已转办其他单位：${reason}`)],
        });
      }
      if (replyTo !== undefined && requestId !== undefined) {
        answers.push(
          getExternalWorkflowHandle(replyTo)
            .signal(reassignAnsweredSignal, { requestId, accepted, status: view.status })
            .catch(() => undefined), // the task has ended meanwhile: nobody is waiting
        );
      }
      return;
    }
    taskEnded = true;
    if (status === 'cancelled' && !ENDED.includes(view.status)) {
      view.status = AssignmentStatus.Cancelled;
      void projector.write('cancel', {
        assignment: { id: input.assignmentId, status: AssignmentStatus.Cancelled },
        audit: audit('cancelled', null, { reason }),
        notifications: [notify(input.unitId, null, 'task-cancelled', `任务已撤销：${reason}`)],
      });
    }
  });

  /** A reminder turns the light yellow; reaching the deadline (level 1) and beyond turns it red. */
  async function fire(event: ClockEvent, version: number): Promise<void> {
    if (event.kind === 'reminder') {
      view.light = view.light === 'red' ? 'red' : 'yellow';
      await projector.write(`v${version}-reminder-${event.index}`, {
        assignment: { id: input.assignmentId, light: view.light },
        audit: audit('reminded', null, { dueAt: view.dueAt, reminder: event.index }),
        notifications: [
          notify(input.unitId, null, 'deadline-reminder', `${dueWhat()}将于 ${view.dueAt} 到期，请按时报送`),
        ],
      });
      return;
    }
    const level = event.level;
    view.escalationLevel = level;
    view.light = 'red';
    const target = ESCALATION_TARGETS[level](input.unitId);
    await projector.write(`v${version}-escalation-${level}`, {
      assignment: { id: input.assignmentId, escalationLevel: level, light: 'red' },
      audit: audit('escalated', null, { dueAt: view.dueAt, level }),
      escalation: {
        subjectType: 'assignment',
        subjectId: input.assignmentId,
        level,
        reason: `${cycle ? '逾期未报送进展' : '逾期未完成'}（${ESCALATION_NAMES[level]}）`,
        targetUnitId: target.unitId,
      },
      notifications: [
        notify(target.unitId, target.role, `escalation-level-${level}`, `任务逾期：${ESCALATION_NAMES[level]}`),
        ...(level === 1
          ? input.leadUnitIds
              .filter((unitId) => unitId !== input.unitId)
              .map((unitId) => notify(unitId, Role.Head, 'escalation-level-1', '责任单位任务逾期'))
          : []),
      ],
    });
  }

  if (!continued) {
    await projector.write('assigned', {
      assignment: {
        id: input.assignmentId,
        status: AssignmentStatus.Assigned,
        ...(cycle ? { dueAt: view.dueAt } : {}),
      },
      audit: audit('assigned', null, { role: input.role, dueAt: view.dueAt, reportingCycle: cycle ?? undefined }),
      notifications: [
        notify(
          input.unitId,
          null,
          'task-assigned',
          input.role === AssignmentRole.Lead ? '新的牵头任务' : '新的责任任务',
        ),
      ],
    });
  }

  // A responsible unit is done when approved; a lead unit's assignment lasts as long as its task.
  const done = () =>
    view.status === AssignmentStatus.Cancelled ||
    view.status === AssignmentStatus.Reassigned ||
    (input.role === AssignmentRole.Responsible ? view.status === AssignmentStatus.Approved : taskEnded);
  // The clock only runs while the work is with this unit (not while its report waits for sign-off).
  const clockRuns = () => CLOCK_STATUSES.includes(view.status);

  // A long-lived assignment (an ongoing task's, years of reports) hands over to a fresh run when its
  // history grows long; the events already fired for the current deadline are carried, never re-fired.
  const continueAsNewSuggested = () => workflowInfo().continueAsNewSuggested;
  let fired = { version: deadlineVersion, keys: new Set(continued?.firedEvents ?? []) };
  while (!done()) {
    if (continueAsNewSuggested()) {
      // Hand over with nothing in flight: no update half-handled, every change projected.
      await condition(allHandlersFinished);
      await projector.drain();
      await Promise.all(answers);
      await continueAsNew<typeof assignmentWorkflow>({
        ...input,
        reportingCycle: cycle ?? undefined,
        continued: {
          view: { ...view },
          deadlineVersion,
          projectedChanges: projector.written,
          cycleAnchor,
          taskEnded,
          firedEvents: fired.version === deadlineVersion ? [...fired.keys] : [],
          deadlines,
        },
      });
    }
    const version = deadlineVersion;
    if (fired.version !== version) fired = { version, keys: new Set() };
    const interrupted = () => done() || version !== deadlineVersion || continueAsNewSuggested();
    /** `compute`'s result, or null if the clock is interrupted first (the computation is then cancelled). */
    const unlessInterrupted = async <T>(compute: () => Promise<T>): Promise<T | null> => {
      const scope = new CancellationScope();
      const computing = scope.run(compute);
      const result = await Promise.race([computing, condition(interrupted).then(() => null)]);
      if (result === null) {
        scope.cancel();
        computing.catch(() => undefined);
      }
      return result;
    };
    /** Waits for the event's instant and for the work to be with the unit; false if interrupted first. */
    const fireWhenDue = async (event: ClockEvent): Promise<boolean> => {
      const wait = event.at - Date.now();
      if (wait > 0 && (await condition(interrupted, wait))) return false;
      await condition(() => interrupted() || clockRuns());
      if (interrupted()) return false;
      await fire(event, version);
      fired.keys.add(eventKey(event));
      return true;
    };
    if (patched(LAZY_CLOCK)) {
      // Each event's instant is computed when the clock reaches it: a working-day offset into a year
      // without a holiday notice no longer holds up the reminders and escalations before it.
      for (const step of view.dueAt === null ? [] : clockSteps(input.policy)) {
        if (fired.keys.has(eventKey(step))) continue; // fired by an earlier run of this workflow
        const dueAt = view.dueAt!;
        const event = await unlessInterrupted(() => clockEvent(dueAt, step));
        if (event === null || !(await fireWhenDue(event))) break;
      }
      await condition(interrupted);
      continue;
    }
    // Before LAZY_CLOCK (histories recorded earlier replay this way): the whole schedule is computed
    // first, so one instant that cannot be computed yet holds up every event.
    const schedule = await unlessInterrupted(() => deadlineSchedule(view.dueAt, input.policy));
    if (schedule === null) continue;
    for (const event of schedule) {
      if (fired.keys.has(eventKey(event))) continue;
      if (!(await fireWhenDue(event))) break;
    }
    await condition(interrupted);
  }
  // Let running update handlers and every queued projection finish before the workflow completes.
  await condition(allHandlersFinished);
  await projector.drain();
  await Promise.all(answers);
  return { ...view };
}

/**
 * Runs continued from before the view was bounded carry the whole history of reports in their view; it is
 * dropped here (the read model and the audit log have it).
 */
function withoutHistory(view: AssignmentView & { history?: unknown }): AssignmentView {
  const { history: _history, ...current } = view;
  return current;
}

/** The Beijing calendar date of a deadline, as a user reads it. */
function dayOf(deadline: string | null): string {
  return deadline === null ? '无' : shanghaiDate(new Date(deadline));
}

function isoAt(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function eventKey(event: ClockEventId): string {
  return event.kind === 'reminder' ? `reminder-${event.index}` : `escalation-${event.level}`;
}
