import { ReactNode, useState } from 'react';
import { get, getPages, post, User } from '../api';
import { taskButtons } from '../actions';
import { ActionButton, ActionSubject, Bar, LightBadge, Link, Loading } from '../components';
import { formatDate, formatDateTime, percent, relativeDue } from '../format';
import { ExportButtons } from '../exports';
import { usePolling, useUnitName, useUnits } from '../hooks';
import { AssessmentSection } from './AssessmentSection';
import { EscalationQueue } from './EscalationQueue';
import { ExtensionRequests } from './ExtensionRequests';
import { PrintButton, PrintStamp } from '../print';
import { assignmentChipLabel, defaultBoardPlan, lightLabel, taskStatusLabel } from '../labels';
import type {
  CountsResponse,
  DashboardResponse,
  PlanListResponse,
  PlanDetailResponse,
  PlanDetailTaskResponse,
  TaskListResponse,
  UrgeRequest,
} from '../api-types';

/** POST /urges takes at most this many assignments at once. */
const URGE_LIMIT = 200;

/** The phone layout's breakpoint (styles.css: tables turn into cards below it). */
const PHONE_QUERY = '(max-width: 700px)';

/** Where the board remembers the plan a user chose last (per user: two people may share a browser). */
const rememberedPlanKey = (user: User) => `county.board.plan.${user.id}`;

function readRemembered(user: User): string | null {
  try {
    return localStorage.getItem(rememberedPlanKey(user));
  } catch {
    // Storage refused (private mode, a policy): the board still opens on the plan with the most open work.
    return null;
  }
}

function remember(user: User, planId: string): void {
  try {
    localStorage.setItem(rememberedPlanKey(user), planId);
  } catch {
    // Not remembered this time; nothing else depends on it.
  }
}

const onPhone = () => typeof window !== 'undefined' && window.matchMedia?.(PHONE_QUERY).matches === true;

/**
 * A part of the board that a phone shows folded (its title stays, the content opens on tap), so that the picture —
 * tiles and tasks — fits about three screens; on a wider screen it opens unfolded.
 */
function Fold({ title, children, testId }: { title: ReactNode; children: ReactNode; testId?: string }) {
  const [open] = useState(() => !onPhone());
  return (
    <details className="fold" open={open} data-testid={testId}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

/**
 * 督查看板: the selected plan's figures and tasks at a glance (each task's units counted by how far they got), the
 * escalation queue, extension requests, rankings — all live. It opens on the plan the user chose last, else on the
 * plan with the most open work.
 */
export function BoardPage({ user }: { user: User }) {
  const plans = usePolling(() => getPages<PlanListResponse>('/plans?limit=500'), 'plans', 15_000);
  const [chosenPlan, setChosenPlan] = useState<string | null>(() => readRemembered(user));
  // The plan chosen last while it exists, else the one with the most open work (defaultBoardPlan, libs/domain).
  const planId = plans.data ? (defaultBoardPlan(plans.data.items, chosenPlan) ?? '') : null;
  const choose = (id: string) => {
    remember(user, id);
    setChosenPlan(id);
  };

  return (
    <section className="board">
      <PrintStamp title="督查看板" />
      <div className="page-head">
        <h1>督查看板</h1>
        <PrintButton />
      </div>
      {planId === null ? (
        <Loading error={plans.error} />
      ) : (
        <>
          <div className="section-head board-plan">
            {plans.data && plans.data.items.length > 0 && (
              <select value={planId} onChange={(event) => choose(event.target.value)} aria-label="选择任务清单">
                {plans.data.items.map((plan) => (
                  <option key={plan.id} value={plan.id}>
                    {plan.title}（{formatDate(plan.importedAt)} 导入，在办 {plan.openAssignments}）
                  </option>
                ))}
              </select>
            )}
            <ExportButtons
              kinds={['ledger', 'ranking', 'calls']}
              filters={{ ledger: { planId }, ranking: { planId } }}
            />
          </div>
          <BoardBody planId={planId} user={user} plans={plans.data?.items ?? []} />
        </>
      )}
    </section>
  );
}

/**
 * The selected plan's tiles (GET /dashboard?planId: its tasks and assignments; calls belong to no plan), its
 * tasks, the queues and the rankings; the tiles and rankings reload when something on the board changed.
 */
function BoardBody({ planId, user, plans }: { planId: string; user: User; plans: PlanListResponse['items'] }) {
  const isSupervisor = user.roles.includes('supervisor');
  const seesEscalations = isSupervisor || user.roles.includes('leader');
  const dashboard = usePolling(
    () => get<DashboardResponse>(planId ? `/dashboard?planId=${planId}` : '/dashboard'),
    `dashboard-${planId}`,
  );
  const refreshAll = () => dashboard.refresh();
  return (
    <>
      {!dashboard.data ? <Loading error={dashboard.error} /> : <Summary dashboard={dashboard.data} />}
      <h2 className="board-tasks-title">任务清单灯色</h2>
      {planId ? (
        <PlanLights planId={planId} onChanged={refreshAll} canUrge={isSupervisor} user={user} />
      ) : (
        <p className="muted">尚未导入任务清单。</p>
      )}
      {seesEscalations &&
        (isSupervisor ? (
          <EscalationQueue onChanged={refreshAll} plans={plans} />
        ) : (
          // The leader's summary: the queue folds on a phone (its items are in the leader's 待办 as well).
          <Fold title="升级督办队列" testId="escalations-fold">
            <EscalationQueue onChanged={refreshAll} plans={plans} />
          </Fold>
        ))}
      {isSupervisor && <ExtensionRequests onChanged={refreshAll} />}
      {dashboard.data && <Rankings dashboard={dashboard.data} />}
      <Fold title="考核" testId="assessment-fold">
        <AssessmentSection />
      </Fold>
    </>
  );
}

function LightCounts({ title, note, counts }: { title: string; note?: string; counts: CountsResponse }) {
  return (
    <div className="card tile" data-testid={`tile-${title}`}>
      <h3>
        {title}
        {note && <span className="muted small">（{note}）</span>}
      </h3>
      <div className="tile-total">{counts.total}</div>
      <div className="tile-lights">
        {(['red', 'yellow', 'green'] as const).map((light) => (
          <span key={light} className={`light light-${light}`} data-testid={`${title}-${light}`}>
            <span className="dot" aria-hidden="true" />
            {lightLabel(light)} {counts.byLight[light] ?? 0}
          </span>
        ))}
      </div>
    </div>
  );
}

function Summary({ dashboard }: { dashboard: DashboardResponse }) {
  return (
    <div className="tiles">
      <LightCounts title="任务" counts={dashboard.tasks} />
      <LightCounts title="单位承办" counts={dashboard.assignments} />
      <LightCounts title="乡呼县应" note="全县" counts={dashboard.calls} />
    </div>
  );
}

/** 签收 x/N · 提交 y/N · 通过 z/N and the percentage the units report. */
function ProgressCell({ task }: { task: PlanDetailTaskResponse }) {
  const { total, acknowledged, submitted, approved, returned } = task.progress;
  return (
    <div className="task-progress">
      <div className="counts">
        <span data-count="acknowledged">
          签收 {acknowledged}/{total}
        </span>
        <span data-count="submitted">
          提交 {submitted}/{total}
        </span>
        <span data-count="approved">
          通过 {approved}/{total}
        </span>
        {returned > 0 && (
          <span data-count="returned" className="returned">
            退回 {returned}
          </span>
        )}
        <span data-count="percent" className="percent-text">
          进度 {task.progress.percent ?? 0}%
        </span>
      </div>
      <Bar value={task.progress.percent} max={100} text={`已报进度 ${task.progress.percent ?? 0}%`} />
    </div>
  );
}

function PlanLights({
  planId,
  onChanged,
  canUrge,
  user,
}: {
  planId: string;
  onChanged: () => void;
  canUrge: boolean;
  user: User;
}) {
  const plan = usePolling(() => get<PlanDetailResponse>(`/plans/${planId}`), planId);
  // Which units may be urged: each assignment's allowedActions, as the server decides them for this user.
  const mayUrge = new Set(
    canUrge
      ? (plan.data?.tasks ?? []).flatMap((task) =>
          task.assignments.filter((item) => item.allowedActions.includes('urge')).map((item) => item.id),
        )
      : [],
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  // A selection the server no longer allows (the unit acted, the task closed) drops out on the next load.
  const chosen = [...selected].filter((id) => mayUrge.has(id));
  const allChosen = mayUrge.size > 0 && chosen.length === mayUrge.size;
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const toggleUnits = (taskId: string) => {
    const next = new Set(expanded);
    if (next.has(taskId)) next.delete(taskId);
    else next.add(taskId);
    setExpanded(next);
  };
  // The plan lists tasks with their units; GET /tasks says what the user may do to each.
  const actionable = usePolling(
    () => getPages<TaskListResponse>(`/tasks?planId=${planId}&limit=500`),
    `tasks-${planId}`,
  );
  const unitName = useUnitName();
  const units = useUnits();
  if (!plan.data) return <Loading error={plan.error} />;
  const tasksById = new Map((actionable.data?.items ?? []).map((task) => [task.id, task]));
  const buttonsOf = (taskId: string) => {
    const task = tasksById.get(taskId);
    return task ? taskButtons(task, units) : [];
  };
  // The column is there when the server allows the user something on at least one task.
  const withActions = plan.data.tasks.some((task) => buttonsOf(task.id).length > 0);
  return (
    <div className="table-scroll">
      {mayUrge.size > 0 && (
        <div className="urge-bar">
          <label className="check">
            <input
              type="checkbox"
              checked={allChosen}
              onChange={() => setSelected(allChosen ? new Set() : new Set(mayUrge))}
            />
            选择全部可催办
          </label>
          <span className="muted">已选 {chosen.length} 个单位</span>
          <UrgeButton
            ids={chosen}
            onDone={(count) => {
              setSelected(new Set());
              setNotice(`已催办 ${count} 个单位`);
              plan.refresh();
              onChanged();
            }}
          />
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <table className="responsive board-tasks" data-testid="plan-lights">
        <thead>
          <tr>
            <th>序号</th>
            <th>任务</th>
            <th>灯色</th>
            <th>时限</th>
            <th>进度</th>
            <th>各单位</th>
            {withActions && <th className="no-print">操作</th>}
          </tr>
        </thead>
        <tbody>
          {plan.data.tasks.map((task) => {
            const onTask = task.assignments.filter(
              (assignment) => !['cancelled', 'reassigned', 'removed'].includes(assignment.status),
            );
            const open = expanded.has(task.id);
            return (
              <tr key={task.id} data-task={task.id} data-light={task.light} className={open ? 'expanded' : undefined}>
                <td data-label="序号" className="task-no">
                  {task.no}
                </td>
                <td data-label="任务" className="task-title">
                  <Link to={`/tasks/${task.id}`}>
                    <span className="no-inline">{task.no}. </span>
                    {task.title}
                  </Link>
                  <div className="muted small">{taskStatusLabel(task.status)}</div>
                </td>
                <td data-label="灯色" className="task-light">
                  <LightBadge light={task.light} />
                </td>
                <td data-label="时限" className="task-due">
                  {task.deadline.dueAt ? (
                    <>
                      <span className="date" title={formatDateTime(task.deadline.dueAt)}>
                        {formatDate(task.deadline.dueAt)}
                      </span>
                      <span className="muted small relative">{relativeDue(task.deadline.dueAt)}</span>
                    </>
                  ) : (
                    <span className="date">{task.deadline.text}</span>
                  )}
                  <button
                    type="button"
                    className="units-toggle"
                    aria-expanded={open}
                    onClick={() => toggleUnits(task.id)}
                  >
                    {open ? '收起单位' : `单位 ${onTask.length}`}
                  </button>
                </td>
                <td data-label="进度" className="task-counts">
                  <ProgressCell task={task} />
                </td>
                <td data-label="各单位" className="task-units">
                  <div className="unit-chips">
                    {onTask.map((assignment) => {
                      const mine = assignment.unitId === user.unitId;
                      const status = assignmentChipLabel(assignment.status);
                      return (
                        <span
                          key={assignment.id}
                          className={`chip light-${assignment.light} status-${assignment.status}${mine ? ' mine' : ''}`}
                          data-unit={assignment.unitId}
                          data-light={assignment.light}
                          data-status={assignment.status}
                          title={`${unitName(assignment.unitId)}：${status}，${lightLabel(assignment.light)}${
                            assignment.percent != null ? `，已报进度 ${assignment.percent}%` : ''
                          }${mine ? '（本单位）' : ''}`}
                        >
                          {mayUrge.has(assignment.id) && (
                            <input
                              type="checkbox"
                              aria-label={`选择催办${unitName(assignment.unitId)}（任务 ${task.no}）`}
                              data-assignment={assignment.id}
                              checked={selected.has(assignment.id)}
                              onChange={() => toggle(assignment.id)}
                            />
                          )}
                          <span className="dot" aria-hidden="true" />
                          <span className="chip-unit">{unitName(assignment.unitId)}</span>
                          <span className="chip-status">{status}</span>
                        </span>
                      );
                    })}
                  </div>
                </td>
                {withActions && (
                  <td data-label="操作" className="no-print task-actions">
                    <ActionSubject.Provider value={`第 ${task.no} 项 ${task.title}`}>
                      <div className="actions">
                        {buttonsOf(task.id).map((action) => (
                          <ActionButton
                            key={action.label}
                            action={action}
                            onDone={() => {
                              plan.refresh();
                              actionable.refresh();
                              onChanged();
                            }}
                          />
                        ))}
                      </div>
                    </ActionSubject.Provider>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** 批量催办: the usual action dialog, one POST /urges for every chosen unit (all or nothing on the server). */
function UrgeButton({ ids, onDone }: { ids: string[]; onDone: (count: number) => void }) {
  const tooMany = ids.length > URGE_LIMIT;
  return (
    <ActionButton
      action={{
        label: '批量催办',
        title: `催办所选 ${ids.length} 个单位（通知各单位人员，并按其设置发送邮件、机器人消息）`,
        fields: [{ name: 'text', label: '催办内容', type: 'textarea', required: true }],
        disabled: ids.length === 0 || tooMany,
        hint: tooMany ? `一次最多催办 ${URGE_LIMIT} 个单位` : undefined,
        run: (values) => post('/urges', { assignmentIds: ids, text: values.text } satisfies UrgeRequest),
      }}
      onDone={() => onDone(ids.length)}
    />
  );
}

function Rankings({ dashboard }: { dashboard: DashboardResponse }) {
  const taskUnits = dashboard.assignments.units;
  const maxOverdue = Math.max(1, ...taskUnits.map((unit) => unit.overdue));
  return (
    <>
      <Fold title={<h2>单位排名 · 任务办理</h2>} testId="task-ranking-fold">
        {taskUnits.length === 0 ? (
          <p className="muted">暂无数据。</p>
        ) : (
          <div className="table-scroll">
            <table className="responsive ranking" data-testid="task-ranking">
              <thead>
                <tr>
                  <th>名次</th>
                  <th>单位</th>
                  <th>按期完成率</th>
                  <th>逾期数</th>
                  <th>在办灯色</th>
                </tr>
              </thead>
              <tbody>
                {taskUnits.map((unit) => (
                  <tr key={unit.unitId}>
                    <td data-label="名次">{unit.rank}</td>
                    <td data-label="单位">{unit.unitName}</td>
                    <td data-label="按期完成率">
                      <Bar
                        value={unit.onTimeRate}
                        text={`${percent(unit.onTimeRate)}（${unit.approvedOnTime}/${unit.approved}）`}
                      />
                    </td>
                    <td data-label="逾期数">
                      <Bar value={unit.overdue} max={maxOverdue} text={String(unit.overdue)} tone="red" />
                    </td>
                    <td data-label="在办灯色">
                      <span className="light light-red">
                        <span className="dot" aria-hidden="true" />
                        {unit.open.red}
                      </span>{' '}
                      <span className="light light-yellow">
                        <span className="dot" aria-hidden="true" />
                        {unit.open.yellow}
                      </span>{' '}
                      <span className="light light-green">
                        <span className="dot" aria-hidden="true" />
                        {unit.open.green}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Fold>
      <Fold title={<h2>单位排名 · 乡呼县应</h2>} testId="call-ranking-fold">
        {dashboard.calls.units.length === 0 ? (
          <p className="muted">暂无呼叫。</p>
        ) : (
          <div className="table-scroll">
            <table className="responsive ranking" data-testid="call-ranking">
              <thead>
                <tr>
                  <th>名次</th>
                  <th>单位</th>
                  <th>收到</th>
                  <th>按时响应率</th>
                  <th>按时办结率</th>
                  <th>满意率</th>
                  <th>返工</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.calls.units.map((unit) => (
                  <tr key={unit.unitId}>
                    <td data-label="名次">{unit.rank}</td>
                    <td data-label="单位">{unit.unitName}</td>
                    <td data-label="收到">{unit.received}</td>
                    <td data-label="按时响应率">
                      <Bar value={unit.onTimeResponseRate} text={percent(unit.onTimeResponseRate)} />
                    </td>
                    <td data-label="按时办结率">
                      <Bar value={unit.onTimeResolutionRate} text={percent(unit.onTimeResolutionRate)} />
                    </td>
                    <td data-label="满意率">
                      <Bar value={unit.satisfactionRate} text={percent(unit.satisfactionRate)} tone="blue" />
                    </td>
                    <td data-label="返工">{unit.reworkCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Fold>
    </>
  );
}
