import { useState } from 'react';
import { get, getPages, post, User } from '../api';
import { taskButtons } from '../actions';
import { ActionButton, Bar, LightBadge, Link, Loading } from '../components';
import { formatDateTime, percent, relativeDue } from '../format';
import { ExportButtons } from '../exports';
import { usePolling, useUnitName, useUnits } from '../hooks';
import { AssessmentSection } from './AssessmentSection';
import { EscalationQueue } from './EscalationQueue';
import { ExtensionRequests } from './ExtensionRequests';
import { PrintButton, PrintStamp } from '../print';
import { lightLabel, taskStatusLabel } from '../labels';
import type {
  CountsResponse,
  DashboardResponse,
  PlanListResponse,
  PlanDetailResponse,
  TaskListResponse,
  UrgeRequest,
} from '../api-types';

/** POST /urges takes at most this many assignments at once. */
const URGE_LIMIT = 200;

/** 督查看板: lights per task and unit, the escalation queue, extension requests, rankings — all live. */
export function BoardPage({ user }: { user: User }) {
  const isSupervisor = user.roles.includes('supervisor');
  const seesEscalations = isSupervisor || user.roles.includes('leader');
  const dashboard = usePolling(() => get<DashboardResponse>('/dashboard'), 'dashboard');
  const plans = usePolling(() => getPages<PlanListResponse>('/plans?limit=500'), 'plans', 15_000);
  const [chosenPlan, setChosenPlan] = useState('');
  const planId = chosenPlan || plans.data?.items[0]?.id || '';
  const refreshAll = () => {
    dashboard.refresh();
  };

  return (
    <section className="board">
      <PrintStamp title="督查看板" />
      <div className="page-head">
        <h1>督查看板</h1>
        <PrintButton />
      </div>
      <ExportButtons kinds={['ledger', 'ranking', 'calls']} filters={{ ledger: { planId }, ranking: { planId } }} />
      {!dashboard.data ? <Loading error={dashboard.error} /> : <Summary dashboard={dashboard.data} />}

      <div className="section-head">
        <h2>任务清单灯色</h2>
        {plans.data && plans.data.items.length > 1 && (
          <select value={planId} onChange={(event) => setChosenPlan(event.target.value)} aria-label="选择任务清单">
            {plans.data.items.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {plan.title}（{formatDateTime(plan.importedAt)}）
              </option>
            ))}
          </select>
        )}
      </div>
      {planId ? (
        <PlanLights planId={planId} onChanged={refreshAll} canUrge={isSupervisor} />
      ) : (
        <p className="muted">尚未导入任务清单。</p>
      )}

      {seesEscalations && <EscalationQueue onChanged={refreshAll} plans={plans.data?.items} />}
      {isSupervisor && <ExtensionRequests onChanged={refreshAll} />}
      {dashboard.data && <Rankings dashboard={dashboard.data} />}
      <AssessmentSection />
    </section>
  );
}

function LightCounts({ title, counts }: { title: string; counts: CountsResponse }) {
  return (
    <div className="card tile">
      <h3>{title}</h3>
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
      <LightCounts title="乡呼县应" counts={dashboard.calls} />
    </div>
  );
}

function PlanLights({ planId, onChanged, canUrge }: { planId: string; onChanged: () => void; canUrge: boolean }) {
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
      <table className="responsive" data-testid="plan-lights">
        <thead>
          <tr>
            <th>序号</th>
            <th>任务</th>
            <th>灯色</th>
            <th>时限</th>
            <th>各单位</th>
            {withActions && <th className="no-print">操作</th>}
          </tr>
        </thead>
        <tbody>
          {plan.data.tasks.map((task) => (
            <tr key={task.id} data-task={task.id} data-light={task.light}>
              <td data-label="序号">{task.no}</td>
              <td data-label="任务">
                <Link to={`/tasks/${task.id}`}>{task.title}</Link>
                <div className="muted small">{taskStatusLabel(task.status)}</div>
              </td>
              <td data-label="灯色">
                <LightBadge light={task.light} />
              </td>
              <td data-label="时限">
                {task.deadline.dueAt ? (
                  <>
                    {formatDateTime(task.deadline.dueAt)}
                    <div className="muted small">{relativeDue(task.deadline.dueAt)}</div>
                  </>
                ) : (
                  task.deadline.text
                )}
              </td>
              <td data-label="各单位">
                <div className="unit-chips">
                  {task.assignments
                    .filter((assignment) => !['cancelled', 'reassigned'].includes(assignment.status))
                    .map((assignment) => (
                      <span
                        key={assignment.id}
                        className={`chip light-${assignment.light}`}
                        data-unit={assignment.unitId}
                        data-light={assignment.light}
                        title={`${unitName(assignment.unitId)}：${lightLabel(assignment.light)}`}
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
                        {unitName(assignment.unitId)}
                      </span>
                    ))}
                </div>
              </td>
              {withActions && (
                <td data-label="操作" className="no-print">
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
                </td>
              )}
            </tr>
          ))}
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
      <h2>单位排名 · 任务办理</h2>
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
      <h2>单位排名 · 乡呼县应</h2>
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
    </>
  );
}
