import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
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
  Duration,
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
  ProgressRequest,
  reassignAnsweredSignal,
  returnUpdate,
  submitUpdate,
  SubmitRequest,
  taskEditedSignal,
  withdrawUpdate,
} from './assignment.contracts';
import {
  ClockEvent,
  ClockEventId,
  clockNotice,
  deadlineSchedule,
  Light,
  runDeadlineClock,
  shift,
  unlessInterrupted,
} from './deadline-clock';
import { Projector } from './projection';
import { subjectRecords } from './records';
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
 * Patch id: the 签收 limit. Not acknowledged within `acknowledgeWithin` of its assignment → a reminder to the
 * unit (light yellow); a further `acknowledgeWithin` without it → level 1 to the unit's head.
 */
const ACKNOWLEDGE_LIMIT = 'acknowledge-limit';
/**
 * Patch id: the 审核 limit. A report waiting longer than `reviewWithin` → a reminder to the lead units'
 * heads; a further `reviewWithin` → the supervision office (督办). And the unit is not blamed for the wait:
 * a report returned after the deadline makes the unit overdue from the return (README, "Deadlines").
 */
const REVIEW_LIMIT = 'review-limit';
/**
 * Patch id: the light weighs more than the deadline clock (DESIGN §4): yellow also for a late 签收 (until it is
 * signed) and while a report is returned; red (overdue) stays red.
 */
const LIGHTS = 'assignment-lights';

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
  /** Who signs off: the lead units move when the supervision office corrects the task (taskEditedSignal). */
  const parties = { unitId: input.unitId, leadUnitIds: input.leadUnitIds };
  /** The task's title its notifications name (corrected with the task, too). */
  let taskTitle = input.taskTitle;
  const projector = new Projector(continued?.projectedChanges);
  let taskEnded = continued?.taskEnded ?? false;
  /** The ongoing task's reporting cycle; null once the task has a fixed deadline. */
  let cycle: ReportingCycle | null = input.reportingCycle ?? null;
  const cycleAnchor = continued?.cycleAnchor ?? Date.now();
  if (cycle && !continued && view.dueAt === null) view.dueAt = isoAt(nextReportDue(cycle, cycleAnchor, cycleAnchor));
  const dueWhat = () => (cycle ? '本期工作进展报送' : '任务');
  const reviewLimit = patched(REVIEW_LIMIT);
  const lights = patched(LIGHTS);
  /** The deadline clock's own light: yellow in the reminder window, red once overdue; green on a new deadline. */
  let clockLight: Light = continued?.clockLight ?? view.light;
  /** The 签收 limit passed without it. */
  let acknowledgeLate = continued?.acknowledge?.late ?? false;
  /** Steps the 签收 clock has fired (carried across continue-as-new). */
  const acknowledgeFired = new Set(continued?.acknowledge?.fired ?? []);
  let assignedAt = continued?.acknowledge?.assignedAt ?? 0;
  /** The light to show (with LIGHTS); before it, the deadline clock's light alone. */
  const lightNow = (): Light => {
    if (!lights || clockLight !== 'green') return clockLight;
    const late =
      view.status === AssignmentStatus.Returned || (view.status === AssignmentStatus.Assigned && acknowledgeLate);
    return late ? 'yellow' : 'green';
  };
  /** Reports submitted so far in this run: each starts its own 审核 clock. */
  let submissions = 0;
  let lastSubmittedAt = continued?.review?.submittedAt ?? 0;
  /** Steps the current report's 审核 clock has fired (carried across continue-as-new). */
  let reviewFired = new Set(continued?.review?.fired ?? []);
  /**
   * A report returned after the deadline: the unit is overdue from the return, not from the deadline (the
   * time its report waited for review is not counted against it). Kept for the deadline version it belongs to.
   */
  let overdueFrom = (
    continued?.overdueFrom !== undefined ? { version: continued.deadlineVersion, at: continued.overdueFrom } : null
  ) as { version: number; at: number } | null;
  /** Bumped when overdueFrom moves: the running clock restarts from it, keeping what it has fired. */
  let clockEpoch = 0;

  const records = subjectRecords({
    type: 'assignment',
    id: input.assignmentId,
    payload: () => ({ taskId: input.taskId, unitId: input.unitId }),
    body: () => `任务「${taskTitle}」`,
  });
  const { audit, notify } = records;

  /** Registers one action: validator and handler share the same decision function. */
  function handle<Request extends ActionRequest>(
    action: AssignmentTransition,
    details: (request: Request) => {
      payload: Record<string, unknown>;
      notifications: ReturnType<typeof notify>[];
      /** More read-model fields this action changes (an ongoing task's next report date). */
      assignment?: { dueAt: string | null; escalationLevel: number; light: Light };
      /** The escalations of one of this workflow's clocks lose their cause (their step prefix, e.g. `acknowledge-`). */
      resolves?: string;
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
        const { payload, notifications, assignment, resolves } = details(request);
        view.status = to;
        // A return turns the light yellow, a resubmission or a late 签收 signed turns it back (LIGHTS).
        const light = lightNow();
        const lightMoved = lights && light !== view.light;
        view.light = light;
        await projector.write(action, {
          assignment: { id: input.assignmentId, status: to, ...assignment, ...(lightMoved ? { light } : {}) },
          // An ongoing task's report answers the missed cycle: its escalations lose their cause.
          ...(assignment
            ? { resolvesOpenEscalations: { subjectType: 'assignment', subjectId: input.assignmentId } }
            : resolves
              ? {
                  resolvesOpenEscalations: { subjectType: 'assignment', subjectId: input.assignmentId, step: resolves },
                }
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
  function reportReceived(): { dueAt: string | null; escalationLevel: number; light: Light } | undefined {
    if (!cycle || view.dueAt === null) return undefined;
    const currentDue = Date.parse(view.dueAt);
    const nextDue = dueAfterReport(cycle, Date.now(), currentDue, cycleAnchor);
    if (nextDue === currentDue) return undefined;
    view.dueAt = isoAt(nextDue);
    deadlineVersion += 1;
    view.escalationLevel = 0;
    clockLight = 'green';
    view.light = lightNow();
    return { dueAt: view.dueAt, escalationLevel: 0, light: view.light };
  }

  const leadHeads = (kind: string, title: string) =>
    parties.leadUnitIds.map((unitId) => notify(unitId, Role.Head, kind, title));

  const acknowledge = handle<ActionRequest & { note?: string }>(AssignmentAction.Acknowledge, ({ note }) => ({
    payload: { note },
    notifications: [],
    // A late 签收 signed: its escalation leaves the supervision office's queue.
    resolves: acknowledgeLate ? 'acknowledge-' : undefined,
  }));
  setHandler(acknowledgeUpdate, acknowledge.handler, { validator: acknowledge.validator });

  const progress = handle<ProgressRequest>(AssignmentAction.Progress, ({ note, percent, attachments }) => {
    view.percent = percent;
    const assignment = reportReceived();
    return {
      payload: { note, percent, nextReportDueAt: assignment?.dueAt, ...(attachments ? { attachments } : {}) },
      notifications: [],
      assignment,
    };
  });
  setHandler(progressUpdate, progress.handler, { validator: progress.validator });

  const submit = handle<SubmitRequest>(AssignmentAction.Submit, ({ summary, evidence, attachments }) => {
    submissions += 1;
    lastSubmittedAt = Date.now();
    reviewFired = new Set();
    return {
      // The audit event carries the files' sha256 (the chain covers them) and links them to this assignment.
      payload: { summary, evidence, ...(attachments ? { attachments } : {}) },
      notifications: leadHeads('report-submitted', '有单位报送了任务完成情况，待审核'),
      assignment: reportReceived(),
    };
  });
  setHandler(submitUpdate, submit.handler, { validator: submit.validator });

  // 撤回 before review. A new update handler: no earlier history holds it, and the running code paths need no
  // change — the review clock of the withdrawn report sees the status leave `submitted` and stops (reviewClocks'
  // `decided`), and a resubmission counts a new round with its own clock, as a resubmission after 退回 does.
  const withdraw = handle<ActionRequest & { reason: string }>(AssignmentAction.Withdraw, ({ reason }) => ({
    payload: { reason },
    notifications: leadHeads('report-withdrawn', `有单位撤回了报送的完成情况：${reason}`),
    // The report is no longer waiting: a late review's escalation leaves the queue (the unit's own ones stay).
    resolves: reviewFired.size > 0 ? 'review-' : undefined,
  }));
  setHandler(withdrawUpdate, withdraw.handler, { validator: withdraw.validator });

  const approve = handle<ActionRequest & { comment?: string }>(AssignmentAction.Approve, ({ comment }) => ({
    payload: { comment },
    notifications: [notify(input.unitId, null, 'report-approved', '报送的完成情况已审核通过')],
  }));
  setHandler(approveUpdate, approve.handler, { validator: approve.validator });

  const sendBack = handle<ActionRequest & { reason: string }>(AssignmentAction.Return, ({ reason }) => {
    const now = Date.now();
    const late = reviewLimit && view.dueAt !== null && now > Date.parse(view.dueAt);
    if (late) {
      // Returned after the deadline: overdue from now, whatever the report's wait.
      overdueFrom = { version: deadlineVersion, at: now };
      clockEpoch += 1;
    }
    return {
      payload: { reason, ...(late ? { overdueFrom: isoAt(now) } : {}) },
      notifications: [notify(input.unitId, null, 'report-returned', `报送的完成情况被退回：${reason}`)],
      // The report is reviewed: a late review's escalation leaves the queue (the unit's own ones stay).
      resolves: reviewFired.size > 0 ? 'review-' : undefined,
    };
  });
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
    clockLight = 'green';
    view.light = lightNow();
    void projector.write('deadline-changed', {
      assignment: { id: input.assignmentId, dueAt, escalationLevel: 0, light: view.light, ...assessed },
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
    if (status === 'reassigned' || status === 'removed') {
      // Decided here, once, against this workflow's own state: an approval accepted first wins, and the
      // 转办 (or 减签) is refused; one accepted first makes any later approval fail its validator.
      const accepted = !ENDED.includes(view.status);
      if (accepted && status === 'reassigned') {
        view.status = AssignmentStatus.Reassigned;
        void projector.write('reassigned', {
          assignment: { id: input.assignmentId, status: AssignmentStatus.Reassigned },
          audit: audit('reassigned', null, { reason }),
          notifications: [notify(input.unitId, null, 'assignment-reassigned', `任务已转办其他单位：${reason}`)],
        });
      } else if (accepted) {
        // 减签 (sent by no earlier history): the record keeps the state the work was in and why it ended.
        const before = view.status;
        view.status = AssignmentStatus.Removed;
        void projector.write('removed', {
          assignment: { id: input.assignmentId, status: AssignmentStatus.Removed },
          audit: audit('removed', null, { before, after: AssignmentStatus.Removed, reason }),
          notifications: [notify(input.unitId, null, 'assignment-removed', `本单位已从任务中减签：${reason}`)],
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

  // A correction of the task (new signal, see taskEditedSignal): later sign-offs, review reminders and level-1
  // notices go to the new lead units.
  setHandler(taskEditedSignal, ({ title, leadUnitIds }) => {
    taskTitle = title;
    parties.leadUnitIds = [...leadUnitIds];
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
            ? parties.leadUnitIds
                .filter((unitId) => unitId !== input.unitId)
                .map((unitId) => notify(unitId, 'head', 'escalation-level-1', '责任单位任务逾期'))
            : [],
      },
    });
    if (event.kind === 'reminder') {
      clockLight = clockLight === 'red' ? 'red' : 'yellow';
      view.light = lightNow();
      await projector.write(notice.step, {
        assignment: { id: input.assignmentId, light: view.light },
        ...notice.change,
      });
      return;
    }
    view.escalationLevel = event.level;
    clockLight = 'red';
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

  /** The 签收 limit's clock: from the assignment until the unit signs for it (or the work ends). */
  async function acknowledgeClock(within: Duration): Promise<void> {
    const signed = () => view.status !== AssignmentStatus.Assigned;
    const limit = await unlessInterrupted(signed, () => shift(assignedAt, within, 1));
    if (limit === null) return;
    await runDeadlineClock({
      limit: isoAt(limit),
      // A reminder at the limit, level 1 (the unit's head) a further limit on.
      policy: { remindBefore: ['PT0S'], escalateAfter: [{ after: within, level: 1 }] },
      interrupted: signed,
      fired: (event) => acknowledgeFired.has(eventKey(event)),
      fire: async (event) => {
        const notice = clockNotice(event, {
          records,
          unitId: input.unitId,
          step: 'acknowledge',
          payload: { limit: 'acknowledge', acknowledgeBy: isoAt(limit) },
          reminder: { kind: 'acknowledge-reminder', title: `任务尚未签收，请于 ${isoAt(limit)} 前签收` },
          escalation: { reason: '逾期未签收', title: '任务逾期未签收' },
        });
        // Late 签收 is yellow (DESIGN §4), never red: the unit is not overdue on its work.
        acknowledgeLate = true;
        view.light = lights ? lightNow() : view.light === 'red' ? 'red' : 'yellow';
        await projector.write(notice.step, {
          assignment: { id: input.assignmentId, light: view.light },
          ...notice.change,
        });
        acknowledgeFired.add(eventKey(event));
      },
    });
  }

  /**
   * The 审核 limit's clock, one per submitted report: from the submission until the report is approved or
   * returned. The reviewer is chased, not the unit: its light and level stay as they are.
   */
  async function reviewClocks(within: Duration): Promise<void> {
    while (!done()) {
      await condition(() => done() || view.status === AssignmentStatus.Submitted);
      if (done()) return;
      const round = submissions;
      const submittedAt = lastSubmittedAt;
      const decided = () => done() || view.status !== AssignmentStatus.Submitted || round !== submissions;
      const limit = await unlessInterrupted(decided, () => shift(submittedAt, within, 1));
      if (limit !== null) {
        await runDeadlineClock({
          limit: isoAt(limit),
          // A reminder to the lead heads at the limit, the supervision office (level 2) a further limit on.
          policy: { remindBefore: ['PT0S'], escalateAfter: [{ after: within, level: 2 }] },
          interrupted: decided,
          fired: (event) => reviewFired.has(eventKey(event)),
          fire: async (event) => {
            const notice = clockNotice(event, {
              records,
              unitId: input.unitId,
              step: `review-${round}`,
              payload: { limit: 'review', submittedAt: isoAt(submittedAt), reviewBy: isoAt(limit) },
              reminder: {
                kind: 'review-reminder',
                title: `有单位报送的完成情况待审核已超时，请于 ${isoAt(limit)} 前审核`,
                to: parties.leadUnitIds.map((unitId) => ({ unitId, role: Role.Head })),
              },
              escalation: { reason: '报送待审核超时', title: '报送待审核超时' },
            });
            await projector.write(notice.step, notice.change);
            reviewFired.add(eventKey(event));
          },
        });
      }
      await condition(decided);
    }
  }

  // A responsible unit is done when approved; a lead unit's assignment lasts as long as its task.
  // (Removed only ever comes from a 减签, which no earlier history holds.)
  const done = () =>
    view.status === AssignmentStatus.Cancelled ||
    view.status === AssignmentStatus.Reassigned ||
    view.status === AssignmentStatus.Removed ||
    (input.role === AssignmentRole.Responsible ? view.status === AssignmentStatus.Approved : taskEnded);
  // The clock only runs while the work is with this unit (not while its report waits for sign-off).
  const clockRuns = () => CLOCK_STATUSES.includes(view.status);

  // A long-lived assignment (an ongoing task's, years of reports) hands over to a fresh run when its
  // history grows long; the events already fired for the current deadline are carried, never re-fired.
  const continueAsNewSuggested = () => workflowInfo().continueAsNewSuggested;
  const acknowledgeWithin = input.policy.acknowledgeWithin;
  // A continued run goes on with the clock its first run started (not signed yet: it carried `acknowledge`).
  const acknowledgeLimit = continued
    ? continued.acknowledge !== undefined
    : acknowledgeWithin !== undefined && patched(ACKNOWLEDGE_LIMIT);
  if (acknowledgeLimit && acknowledgeWithin !== undefined) {
    if (!continued) assignedAt = workflowInfo().startTime.getTime();
    void acknowledgeClock(acknowledgeWithin);
  }
  if (reviewLimit && input.policy.reviewWithin !== undefined) void reviewClocks(input.policy.reviewWithin);
  let fired = { version: deadlineVersion, keys: new Set(continued?.firedEvents ?? []) };
  while (!done()) {
    if (continueAsNewSuggested()) {
      // Hand over with nothing in flight: no update half-handled, every change projected.
      await condition(allHandlersFinished);
      await projector.drain();
      await Promise.all(answers);
      await continueAsNew<typeof assignmentWorkflow>({
        ...input,
        // A corrected task's lead units and title carry into the next run.
        taskTitle,
        leadUnitIds: [...parties.leadUnitIds],
        reportingCycle: cycle ?? undefined,
        continued: {
          view: { ...view },
          deadlineVersion,
          projectedChanges: projector.written,
          cycleAnchor,
          taskEnded,
          firedEvents: fired.version === deadlineVersion ? [...fired.keys] : [],
          deadlines,
          ...(acknowledgeLimit && view.status === AssignmentStatus.Assigned
            ? { acknowledge: { assignedAt, fired: [...acknowledgeFired], late: acknowledgeLate } }
            : {}),
          ...(reviewLimit && view.status === AssignmentStatus.Submitted
            ? { review: { submittedAt: lastSubmittedAt, fired: [...reviewFired] } }
            : {}),
          ...(overdueFrom?.version === deadlineVersion ? { overdueFrom: overdueFrom.at } : {}),
          ...(lights ? { clockLight } : {}),
        },
      });
    }
    const version = deadlineVersion;
    if (fired.version !== version) fired = { version, keys: new Set() };
    const epoch = clockEpoch;
    const interrupted = () => done() || version !== deadlineVersion || epoch !== clockEpoch || continueAsNewSuggested();
    // After a late return, the clock runs from the return: escalations not fired yet count from it, and the
    // reminders (all before the deadline) are over.
    const from = overdueFrom?.version === version ? overdueFrom.at : null;
    const fireAndNote = async (event: ClockEvent) => {
      await fire(event, version);
      fired.keys.add(eventKey(event));
    };
    if (patched(LAZY_CLOCK)) {
      // Each event's instant is computed when the clock reaches it: a working-day offset into a year
      // without a holiday notice no longer holds up the reminders and escalations before it.
      if (view.dueAt !== null) {
        await runDeadlineClock({
          limit: from === null ? view.dueAt : isoAt(from),
          policy: input.policy,
          interrupted,
          // Fired by an earlier run of this workflow (or this one, before a late return restarted the clock).
          fired: (event) => fired.keys.has(eventKey(event)) || (from !== null && event.kind === 'reminder'),
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
