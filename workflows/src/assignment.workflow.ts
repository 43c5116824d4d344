import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  AssignmentAction,
  AssignmentRole,
  AssignmentStatus,
  decideAssignmentAction,
  dueAfterReport,
  nextReportDue,
  ReportingCycle,
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
  returnUpdate,
  submitUpdate,
} from './assignment.contracts';
import {
  ClockEvent,
  ClockEventId,
  clockNotice,
  deadlineSchedule,
  runDeadlineClock,
  unlessInterrupted,
} from './deadline-clock';
import { Projector } from './projection';
import { subjectRecords } from './records';
import { refuseInvalidRequest } from './request-validation';

const ENDED: readonly AssignmentStatus[] = [
  AssignmentStatus.Approved,
  AssignmentStatus.Cancelled,
  AssignmentStatus.Reassigned,
];
const CLOCK_STATUSES: readonly AssignmentStatus[] = [
  AssignmentStatus.Assigned,
  AssignmentStatus.Acknowledged,
  AssignmentStatus.InProgress,
  AssignmentStatus.Returned,
];

/** Patch id: the deadline clock computes each event's instant when it reaches it (see clockSteps). */
const LAZY_CLOCK = 'lazy-deadline-clock';

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

  const records = subjectRecords({
    type: 'assignment',
    id: input.assignmentId,
    payload: () => ({ taskId: input.taskId, unitId: input.unitId }),
    body: `任务「${input.taskTitle}」`,
  });
  const { audit, notify } = records;

  /** Registers one action: validator and handler share the same decision function. */
  function handle<Request extends ActionRequest>(
    action: AssignmentAction,
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
    input.leadUnitIds.map((unitId) => notify(unitId, 'head', kind, title));

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
  setHandler(deadlineChangedSignal, ({ dueAt, reason }) => {
    const before = view.dueAt;
    // A fixed deadline given to an ongoing task ends its reporting cycle.
    if (dueAt !== null) cycle = null;
    deadlineVersion += 1;
    view.dueAt = dueAt;
    view.escalationLevel = 0;
    view.light = 'green';
    void projector.write('deadline-changed', {
      assignment: { id: input.assignmentId, dueAt, escalationLevel: 0, light: 'green' },
      resolvesOpenEscalations: { subjectType: 'assignment', subjectId: input.assignmentId },
      audit: audit('deadline-changed', null, { before, after: dueAt, reason }),
      notifications: [notify(input.unitId, null, 'deadline-changed', `完成时限已调整：${reason}`)],
    });
  });
  setHandler(endAssignmentSignal, ({ status, reason }) => {
    if (status === 'reassigned') {
      if (ENDED.includes(view.status)) return;
      view.status = AssignmentStatus.Reassigned;
      void projector.write('reassigned', {
        assignment: { id: input.assignmentId, status: AssignmentStatus.Reassigned },
        audit: audit('reassigned', null, { reason }),
        notifications: [notify(input.unitId, null, 'assignment-reassigned', `任务已转办其他单位：${reason}`)],
      });
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
    const notice = clockNotice(event, {
      records,
      unitId: input.unitId,
      step: `v${version}`,
      payload: { dueAt: view.dueAt },
      reminder: { kind: 'deadline-reminder', title: `${dueWhat()}将于 ${view.dueAt} 到期，请按时报送` },
      escalation: {
        reason: cycle ? '逾期未报送进展' : '逾期未完成',
        title: '任务逾期',
        alsoNotify: (level) =>
          level === 1
            ? input.leadUnitIds
                .filter((unitId) => unitId !== input.unitId)
                .map((unitId) => notify(unitId, 'head', 'escalation-level-1', '责任单位任务逾期'))
            : [],
      },
    });
    if (event.kind === 'reminder') {
      view.light = view.light === 'red' ? 'red' : 'yellow';
      await projector.write(notice.step, {
        assignment: { id: input.assignmentId, light: view.light },
        ...notice.change,
      });
      return;
    }
    view.escalationLevel = event.level;
    view.light = 'red';
    await projector.write(notice.step, {
      assignment: { id: input.assignmentId, escalationLevel: event.level, light: 'red' },
      ...notice.change,
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
        },
      });
    }
    const version = deadlineVersion;
    if (fired.version !== version) fired = { version, keys: new Set() };
    const interrupted = () => done() || version !== deadlineVersion || continueAsNewSuggested();
    const fireAndNote = async (event: ClockEvent) => {
      await fire(event, version);
      fired.keys.add(eventKey(event));
    };
    if (patched(LAZY_CLOCK)) {
      // Each event's instant is computed when the clock reaches it: a working-day offset into a year
      // without a holiday notice no longer holds up the reminders and escalations before it.
      if (view.dueAt !== null) {
        await runDeadlineClock({
          limit: view.dueAt,
          policy: input.policy,
          interrupted,
          fired: (event) => fired.keys.has(eventKey(event)), // fired by an earlier run of this workflow
          mayFire: clockRuns,
          fire: fireAndNote,
        });
      }
      await condition(interrupted);
      continue;
    }
    // Before LAZY_CLOCK (histories recorded earlier replay this way): the whole schedule is computed
    // first, so one instant that cannot be computed yet holds up every event.
    /** Waits for the event's instant and for the work to be with the unit; false if interrupted first. */
    const fireWhenDue = async (event: ClockEvent): Promise<boolean> => {
      const wait = event.at - Date.now();
      if (wait > 0 && (await condition(interrupted, wait))) return false;
      await condition(() => interrupted() || clockRuns());
      if (interrupted()) return false;
      await fireAndNote(event);
      return true;
    };
    const schedule = await unlessInterrupted(interrupted, () => deadlineSchedule(view.dueAt, input.policy));
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

function isoAt(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function eventKey(event: ClockEventId): string {
  return event.kind === 'reminder' ? `reminder-${event.index}` : `escalation-${event.level}`;
}
