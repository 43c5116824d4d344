import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  defineUpdate,
  setHandler,
} from '@temporalio/workflow';
import {
  Actor,
  CallAction,
  CallProjection,
  CallDecision,
  callEvaluationOutcome,
  CallRating,
  CallStatus,
  CallSupervision,
  CallUrgency,
  decideCallAction,
  decideCallRaise,
  decideCallSupervision,
  ErrorCode,
  instructionLine,
  newDeadlineProblem,
  requestProblem,
  Role,
  RequestShape,
} from '@county/domain';
import type { AttachmentRef } from '@county/domain';
import type { ActionRequest } from './assignment.contracts';
import {
  CALL_REQUESTS,
  CallView,
  callViewQuery,
  CallWorkflowInput,
  evaluateCallUpdate,
  raisedUpdate,
  resolveCallUpdate,
  respondCallUpdate,
  superviseCallUpdate,
  SuperviseCallRequest,
} from './call.contracts';
import {
  ClockEvent,
  clockNotice,
  deadlineSchedule,
  runDeadlineClock,
  shift,
  unlessInterrupted,
} from './deadline-clock';
import { Projector } from './projection';
import { subjectRecords } from './records';
import { refuseInvalidRequest } from './request-validation';

/** Patch id: the start input is checked like an update's request (a forged start raises nothing). */
const CHECKED_START = 'checked-call-start';
/**
 * Patch id: the call's clock runs lazily like an assignment's (runDeadlineClock): each reminder and
 * escalation is computed when the clock reaches it, so a working-day step into a year without a holiday
 * notice holds up only itself, not the reminder and the first escalation before it.
 */
const LAZY_CALL_CLOCK = 'lazy-call-clock';

/** Which clock runs: the response limit, the resolution limit, or the wait for the township's evaluation. */
type Phase = 'respond' | 'resolve' | 'evaluate';
const PHASE_NAMES: Record<Phase, string> = { respond: '签收', resolve: '办结', evaluate: '评价' };

function phaseOf(status: CallStatus): Phase | null {
  switch (status) {
    case CallStatus.Raised:
      return 'respond';
    case CallStatus.Responded:
    case CallStatus.Reopened:
      return 'resolve';
    case CallStatus.Resolved:
      return 'evaluate';
    case CallStatus.Closed:
      return null;
  }
}

const reject = (decision: CallDecision): void => {
  // The type is the domain error code, so the API maps it to 400 / 403 / 409 without guessing.
  if (!decision.allowed) throw ApplicationFailure.nonRetryable(decision.reason, decision.code);
};

/**
 * One 乡呼县应 call (DESIGN §4): raised by a township → responded (签收) by the called county unit →
 * resolved → evaluated by the township, which closes it or (不满意) reopens it to the same unit. Response
 * and resolution limits depend on urgency; each limit has reminders before it and the escalation ladder
 * after it; a resolved call nobody evaluates closes itself as 满意 by default. Every change is projected
 * (read model, audit event, notifications) before the update that caused it answers.
 */
export async function callWorkflow(input: CallWorkflowInput): Promise<CallView> {
  const limits = input.policy[input.urgency];
  const view: CallView = {
    callId: input.callId,
    fromUnitId: input.fromUnitId,
    toUnitId: input.toUnitId,
    subject: input.subject,
    urgency: input.urgency,
    status: CallStatus.Raised,
    respondBy: null,
    resolveBy: null,
    escalationLevel: 0,
    light: 'green',
    rating: null,
    autoClosed: false,
    reworkCount: 0,
    flagged: false,
  };
  const snapshot = (): CallView => ({ ...view });
  const projector = new Projector();
  let raised = false;
  // Bumped whenever the running clock changes (new phase, new limit, new unit): the old clock's
  // reminders and escalations never fire for the new one, and its version is part of their step names.
  let clockVersion = 0;
  let clockStartedAt = Date.now();

  const records = subjectRecords({
    type: 'call',
    id: input.callId,
    payload: () => ({ fromUnitId: input.fromUnitId, toUnitId: view.toUnitId }),
    body: `乡呼县应「${input.subject}」`,
  });
  const { audit, notify } = records;
  const write = (
    step: string,
    call: Omit<CallProjection, 'id'>,
    rest: Omit<Parameters<Projector['write']>[1], 'call'>,
  ) => projector.write(step, { call: { id: input.callId, ...call }, ...rest });

  /** A new clock starts now (a new phase or a new unit): no limit yet, no escalation, green. */
  const restartClock = (now: Date) => {
    clockVersion += 1;
    clockStartedAt = now.getTime();
    view.escalationLevel = 0;
    view.light = 'green';
  };
  const freshClock = { escalationLevel: 0, light: 'green' } as const;

  // Calls started before the start input was checked replay without the check (patched): one that the check
  // would refuse now was raised then.
  const inputProblem = patched(CHECKED_START) ? requestProblem(input, CALL_REQUESTS.start, Date.now()) : null;
  const raise: CallDecision = inputProblem
    ? { allowed: false, code: ErrorCode.ValidationFailed, reason: inputProblem }
    : decideCallRaise(input.raisedBy, input.fromUnitKind, input.toUnitKind);
  setHandler(
    raisedUpdate,
    async () => {
      await condition(() => raised);
      return snapshot();
    },
    { validator: () => reject(raise) },
  );
  setHandler(callViewQuery, snapshot);

  const parties = () => ({ fromUnitId: input.fromUnitId, toUnitId: view.toUnitId });
  /** Validator and handler share the decision: the handler decides again, as another update may have run. */
  const decide = (action: CallAction.Respond | CallAction.Resolve | CallAction.Evaluate, actor: Actor) => {
    const decision = decideCallAction(action, view.status, actor, parties());
    reject(decision);
    return view.status;
  };
  /** Registers a party's action: the validator checks the request's shape, then both decide with one function. */
  const onAction = <Request extends ActionRequest>(
    update: ReturnType<typeof defineUpdate<CallView, [Request]>>,
    action: CallAction.Respond | CallAction.Resolve | CallAction.Evaluate,
    shape: RequestShape,
    act: (request: Request, before: CallStatus) => Promise<void>,
  ) =>
    setHandler(
      update,
      async (request: Request) => {
        await act(request, decide(action, request.actor));
        return snapshot();
      },
      {
        validator: (request: Request) => {
          refuseInvalidRequest(request, shape);
          decide(action, request.actor);
        },
      },
    );

  onAction(respondCallUpdate, CallAction.Respond, CALL_REQUESTS.respondCall, async ({ actor, note }, before) => {
    const now = new Date();
    view.status = CallStatus.Responded;
    view.resolveBy = null;
    restartClock(now);
    await write(
      'respond',
      {
        status: view.status,
        respondedAt: now.toISOString(),
        responseNote: note ?? null,
        resolveDueAt: null,
        ...freshClock,
      },
      {
        audit: audit('responded', actor, { before, after: view.status, note }),
        notifications: [notify(input.fromUnitId, null, 'call-responded', '县级单位已签收呼叫')],
      },
    );
  });

  const files = (attachments: AttachmentRef[] | undefined) => (attachments ? { attachments } : {});

  onAction(
    resolveCallUpdate,
    CallAction.Resolve,
    CALL_REQUESTS.resolveCall,
    async ({ actor, resolution, attachments }, before) => {
      const now = new Date();
      view.status = CallStatus.Resolved;
      restartClock(now);
      await write(
        'resolve',
        { status: view.status, resolvedAt: now.toISOString(), resolution, ...freshClock },
        {
          audit: audit('resolved', actor, { before, after: view.status, resolution, ...files(attachments) }),
          notifications: [notify(input.fromUnitId, null, 'call-resolved', '呼叫事项已办结，请评价')],
        },
      );
    },
  );

  onAction(
    evaluateCallUpdate,
    CallAction.Evaluate,
    CALL_REQUESTS.evaluateCall,
    async ({ actor, rating, comment, attachments }, before) => {
      const now = new Date();
      const at = now.toISOString();
      view.status = callEvaluationOutcome(rating);
      view.rating = rating;
      const payload = { before, after: view.status, rating, comment, ...files(attachments) };
      if (view.status === CallStatus.Reopened) {
        // 不满意: the same unit resolves again, on a new resolution limit from now (返工).
        view.reworkCount += 1;
        view.resolveBy = null;
        restartClock(now);
        await write(
          'evaluate',
          {
            status: view.status,
            rating,
            evaluatedAt: at,
            resolvedAt: null,
            resolution: null,
            resolveDueAt: null,
            reworkCount: view.reworkCount,
            ...freshClock,
          },
          {
            audit: audit('evaluated', actor, payload),
            notifications: [
              notify(view.toUnitId, null, 'call-reopened', `乡镇评价不满意，请重新办理：${comment ?? ''}`),
            ],
          },
        );
      } else {
        clockVersion += 1;
        await write(
          'evaluate',
          { status: view.status, rating, evaluatedAt: at, closedAt: at },
          {
            audit: audit('evaluated', actor, payload),
            notifications: [notify(view.toUnitId, null, 'call-evaluated', '乡镇已评价，呼叫办结')],
          },
        );
      }
    },
  );

  const decideSupervision = (request: SuperviseCallRequest) => {
    const newUnit =
      request.toUnitId && request.toUnitKind ? { id: request.toUnitId, kind: request.toUnitKind } : undefined;
    reject(decideCallSupervision(request.action, view.status, request.actor, parties(), newUnit));
    if (request.action === CallSupervision.Extend) {
      const problem = newDeadlineProblem(request.dueAt ?? '', Date.now());
      if (problem) throw ApplicationFailure.nonRetryable(`dueAt: ${problem}`, ErrorCode.ValidationFailed);
    }
  };
  setHandler(
    superviseCallUpdate,
    async (request) => {
      decideSupervision(request);
      const { actor, action, note } = request;
      const now = new Date();
      if (action === CallSupervision.Extend) {
        const dueAt = new Date(request.dueAt!).toISOString();
        const responding = view.status === CallStatus.Raised;
        const before = responding ? view.respondBy : view.resolveBy;
        if (responding) view.respondBy = dueAt;
        else view.resolveBy = dueAt;
        // The clock keeps its start; only its limit moves, so the ladder re-arms from the new limit.
        clockVersion += 1;
        view.escalationLevel = 0;
        view.light = 'green';
        await write(
          'extend',
          { ...(responding ? { respondDueAt: dueAt } : { resolveDueAt: dueAt }), ...freshClock },
          {
            resolvesOpenEscalations: { subjectType: 'call', subjectId: input.callId },
            audit: audit('extended', actor, { phase: responding ? 'respond' : 'resolve', before, after: dueAt, note }),
            notifications: [notify(view.toUnitId, null, 'call-extended', `督查室已延长时限至 ${dueAt}：${note}`)],
          },
        );
      } else if (action === CallSupervision.Reassign) {
        // 转办: the new unit must sign for the call afresh, measured from now.
        const from = view.toUnitId;
        view.toUnitId = request.toUnitId!;
        view.status = CallStatus.Raised;
        view.respondBy = null;
        view.resolveBy = null;
        restartClock(now);
        await write(
          'reassign',
          {
            toUnitId: view.toUnitId,
            status: view.status,
            assignedAt: now.toISOString(),
            respondDueAt: null,
            respondedAt: null,
            responseNote: null,
            resolveDueAt: null,
            resolvedAt: null,
            resolution: null,
            ...freshClock,
          },
          {
            audit: audit('reassigned', actor, { from, to: view.toUnitId, note }),
            notifications: [
              notify(view.toUnitId, null, 'call-received', '督查室转办的乡镇呼叫，请签收'),
              notify(from, null, 'call-reassigned', `呼叫已由督查室转办：${note}`),
              notify(input.fromUnitId, null, 'call-reassigned', '您的呼叫已由督查室转办其他单位'),
            ],
          },
        );
      } else {
        view.flagged = true;
        // Issue 16: a flag may carry the leaders' 批示 (passed in by the API, never read here). No patched():
        // every request recorded before has no `instruction`, so it replays to the very same write; only the
        // write's data differs for a request that carries one, never the sequence of commands.
        const { instruction } = request;
        const notice = notify(view.toUnitId, Role.Head, 'call-flagged', `呼叫已被挂牌督办：${note}`);
        await write(
          'flag',
          { flagged: true },
          {
            audit: audit('flagged', actor, instruction ? { note, instruction } : { note }),
            notifications: [
              instruction ? { ...notice, body: `${notice.body}\n${instructionLine(instruction)}` } : notice,
            ],
          },
        );
      }
      return snapshot();
    },
    {
      validator: (request) => {
        refuseInvalidRequest(request, CALL_REQUESTS.superviseCall);
        decideSupervision(request);
      },
    },
  );

  // Refused raises (the API checks first, so only a forged start lands here) write nothing at all.
  if (!raise.allowed) return snapshot();

  const raisedAt = new Date().toISOString();
  await write(
    'raised',
    {
      fromUnitId: input.fromUnitId,
      toUnitId: input.toUnitId,
      subject: input.subject,
      description: input.description,
      urgency: input.urgency,
      relatedAssignmentId: input.relatedAssignmentId,
      raisedBy: input.raisedBy.userId,
      raisedAt,
      assignedAt: raisedAt,
      status: CallStatus.Raised,
    },
    {
      audit: audit('raised', input.raisedBy, {
        urgency: input.urgency,
        subject: input.subject,
        relatedAssignmentId: input.relatedAssignmentId,
        ...files(input.attachments),
      }),
      notifications: [
        notify(
          input.toUnitId,
          null,
          'call-received',
          input.urgency === CallUrgency.Urgent ? '紧急乡镇呼叫，请签收' : '乡镇呼叫，请签收',
        ),
      ],
    },
  );
  raised = true;

  /** The running clock's limit: computed once per clock, unless the supervision office set one. */
  async function limitFor(phase: Phase): Promise<{ limit: number; computed: boolean }> {
    const set = phase === 'respond' ? view.respondBy : phase === 'resolve' ? view.resolveBy : null;
    const duration =
      phase === 'respond'
        ? limits.respondWithin
        : phase === 'resolve'
          ? limits.resolveWithin
          : input.policy.autoCloseAfter;
    const limit = set !== null ? Date.parse(set) : await shift(clockStartedAt, duration, 1);
    return { limit, computed: set === null };
  }
  /** Before LAZY_CALL_CLOCK: the limit and then every event's instant, all computed before the first fires. */
  async function clockFor(phase: Phase): Promise<{ limit: number; computed: boolean; events: ClockEvent[] }> {
    const { limit, computed } = await limitFor(phase);
    const events = phase === 'evaluate' ? [] : await deadlineSchedule(new Date(limit).toISOString(), input.policy);
    return { limit, computed, events };
  }

  /** A reminder turns the light yellow; passing the limit (level 1) and beyond turns it red. */
  async function fire(event: ClockEvent, phase: Phase, limit: string, version: number): Promise<void> {
    const notice = clockNotice(event, {
      records,
      unitId: view.toUnitId,
      step: `v${version}-${phase}`,
      payload: { phase, dueAt: limit },
      reminder: { kind: 'call-reminder', title: `乡镇呼叫须于 ${limit} 前${PHASE_NAMES[phase]}` },
      escalation: { reason: `乡镇呼叫超时未${PHASE_NAMES[phase]}`, title: `乡镇呼叫超时未${PHASE_NAMES[phase]}` },
    });
    if (event.kind === 'reminder') {
      view.light = view.light === 'red' ? 'red' : 'yellow';
      await write(notice.step, { light: view.light }, notice.change);
      return;
    }
    view.escalationLevel = event.level;
    view.light = 'red';
    await write(notice.step, { escalationLevel: event.level, light: 'red' }, notice.change);
  }

  while (view.status !== CallStatus.Closed) {
    const version = clockVersion;
    const phase = phaseOf(view.status)!;
    const interrupted = () => view.status === CallStatus.Closed || version !== clockVersion;
    const lazy = patched(LAZY_CALL_CLOCK);
    // Computing a working-day limit may wait a long time (a year without a holiday notice is retried until
    // an admin loads it); an action on the call must not wait for it.
    const clock = await unlessInterrupted(interrupted, async () =>
      lazy ? { ...(await limitFor(phase)), events: [] } : clockFor(phase),
    );
    if (clock === null) continue;
    const limit = new Date(clock.limit).toISOString();
    if (phase === 'evaluate') {
      const wait = clock.limit - Date.now();
      if ((wait > 0 && (await condition(interrupted, wait))) || interrupted()) continue;
      // Nobody evaluated in time: 满意 by default, marked as such (DESIGN §4).
      const at = new Date().toISOString();
      view.status = CallStatus.Closed;
      view.autoClosed = true;
      view.rating = CallRating.Satisfied;
      await write(
        `v${version}-auto-close`,
        { status: view.status, rating: view.rating, autoClosed: true, closedAt: at },
        {
          audit: audit('auto-closed', null, { after: view.status, rating: view.rating, evaluateBy: limit }),
          notifications: [
            notify(input.fromUnitId, null, 'call-auto-closed', '呼叫逾期未评价，已按满意自动办结'),
            notify(view.toUnitId, null, 'call-auto-closed', '呼叫逾期未评价，已按满意自动办结'),
          ],
        },
      );
      continue;
    }
    if (clock.computed) {
      if (phase === 'respond') view.respondBy = limit;
      else view.resolveBy = limit;
      await write(
        `v${version}-${phase}-limit`,
        phase === 'respond' ? { respondDueAt: limit } : { resolveDueAt: limit },
        { audit: audit('limit-set', null, { phase, dueAt: limit, urgency: input.urgency }) },
      );
    }
    if (lazy) {
      await runDeadlineClock({
        limit,
        policy: input.policy,
        interrupted,
        fire: (event) => fire(event, phase, limit, version),
      });
      await condition(interrupted);
      continue;
    }
    for (const event of clock.events) {
      const wait = event.at - Date.now();
      if (wait > 0 && (await condition(interrupted, wait))) break;
      if (interrupted()) break;
      await fire(event, phase, limit, version);
    }
    await condition(interrupted);
  }
  // Let running update handlers and every queued projection finish before the workflow completes.
  await condition(allHandlersFinished);
  await projector.drain();
  return snapshot();
}
