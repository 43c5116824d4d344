import { useState } from 'react';
import { ApiError, getPages, post } from '../api';
import { escalationButtons, escalationLeaderButtons } from '../actions';
import { ActionButton, ActionSpec, ActionSubject, Link, Loading } from '../components';
import { formatAge, formatDateTime } from '../format';
import { usePolling, useUnits } from '../hooks';
import { escalationLevelLabel } from '../labels';
import type {
  BatchHandleEscalationRequest,
  BatchHandleEscalationResponse,
  EscalationListResponse,
  EscalationResponse,
} from '../api-types';

type Grouping = 'none' | 'task' | 'unit';

/** What an item is about, as its card names it: the task (with its plan) or the call (with its township). */
function subjectLine(item: EscalationResponse): string {
  if (item.subjectType === 'call') return `乡呼县应：${item.title ?? '呼叫'}`;
  return `${item.taskNo ? `${item.taskNo}. ` : ''}${item.title ?? '任务'}`;
}

/** The group an item falls in: its task (or call) or its late unit; the key and the heading. */
function groupOf(item: EscalationResponse, grouping: Grouping): [string, string] {
  if (grouping === 'unit') return [item.unitId ?? '', item.unitName ?? '未知单位'];
  if (item.subjectType === 'call') return [`call-${item.subjectId}`, subjectLine(item)];
  return [item.taskId ?? item.subjectId, `${subjectLine(item)}${item.planTitle ? `（${item.planTitle}）` : ''}`];
}

function groupItems(items: EscalationResponse[], grouping: Grouping): Array<[string, string, EscalationResponse[]]> {
  if (grouping === 'none') return [['all', '', items]];
  const groups = new Map<string, [string, EscalationResponse[]]>();
  for (const item of items) {
    const [key, heading] = groupOf(item, grouping);
    const group = groups.get(key) ?? [heading, []];
    group[1].push(item);
    groups.set(key, group);
  }
  return [...groups.entries()].map(([key, [heading, members]]) => [key, heading, members]);
}

/**
 * One 督办 item: the task or call it is about, the late unit, its current level and how long it has waited; the
 * buttons are its allowedActions (the supervision office) and leaderActions (a county leader: 已阅, 批示).
 */
export function EscalationCard({
  item,
  onDone,
  selected,
  onSelect,
}: {
  item: EscalationResponse;
  onDone: () => void;
  selected?: boolean;
  onSelect?: (checked: boolean) => void;
}) {
  const units = useUnits();
  const buttons: ActionSpec[] = [...escalationButtons(item, units), ...escalationLeaderButtons(item)];
  const where = item.taskId
    ? `/tasks/${item.taskId}`
    : item.subjectType === 'call'
      ? `/calls/${item.subjectId}`
      : '/calls';
  return (
    <article
      className={`card item escalation level-${item.level} light-edge-${item.level >= 2 ? 'red' : 'yellow'}`}
      data-testid="escalation"
      data-subject={item.subjectId}
    >
      <div className="item-head">
        {onSelect && (
          <input
            type="checkbox"
            className="select-item"
            checked={selected ?? false}
            onChange={(event) => onSelect(event.target.checked)}
            aria-label={`选择：${subjectLine(item)}（${item.unitName ?? ''}）`}
          />
        )}
        <span className="tag urgent">{escalationLevelLabel(String(item.level))}</span>
        <span className="tag">{item.subjectType === 'call' ? '乡呼县应' : '任务'}</span>
        {item.readAt && <span className="tag">已阅</span>}
      </div>
      <h3>
        <Link to={where}>{subjectLine(item)}</Link>
      </h3>
      <p className="meta">
        {item.planTitle && <span>清单：{item.planTitle}</span>}
        <span>
          {item.subjectType === 'call' ? '承办单位' : item.assignmentRole === 'lead' ? '牵头单位' : '责任单位'}：
          {item.unitName ?? item.unitId ?? '—'}
        </span>
        {item.fromUnitName && <span>呼叫乡镇：{item.fromUnitName}</span>}
      </p>
      <p className="meta">
        <span>{item.reason}</span>
        <span data-testid="age">已持续 {formatAge(item.firstRaisedAt)}</span>
        <span>首次预警：{formatDateTime(item.firstRaisedAt)}</span>
      </p>
      {item.instructions.length > 0 && (
        <p className="meta instruction" data-testid="instruction">
          <span>
            县领导批示：{item.instructions[0].body}（{item.instructions[0].authorName}）
          </span>
          <Link to={where}>查看批示</Link>
        </p>
      )}
      {buttons.length > 0 && (
        <ActionSubject.Provider value={`${subjectLine(item)} · ${item.unitName ?? item.unitId ?? ''}`}>
          <div className="actions">
            {buttons.map((action) => (
              <ActionButton key={action.label} action={action} onDone={onDone} />
            ))}
          </div>
        </ActionSubject.Provider>
      )}
    </article>
  );
}

/** 批量催办 of the chosen items: one request, a result per item; what could not be done is named. */
function batchRemind(ids: string[], titles: Map<string, string>, onResult: (message: string) => void): ActionSpec {
  return {
    label: `批量催办（${ids.length}）`,
    title: `向所选 ${ids.length} 个单位发出催办`,
    disabled: ids.length === 0,
    hint: ids.length === 0 ? '请先勾选要催办的事项' : undefined,
    fields: [{ name: 'note', label: '催办内容', type: 'textarea', required: true }],
    run: async (values) => {
      const answer = await post<BatchHandleEscalationResponse>('/escalations/handle', {
        ids,
        action: 'remind',
        note: values.note,
      } satisfies BatchHandleEscalationRequest);
      const failed = answer.results.filter((result) => result.outcome === 'failed');
      const done = answer.results.length - failed.length;
      if (failed.length > 0 && done === 0) {
        throw new ApiError({
          status: 409,
          detail: `所选事项均未能催办：${failed.map((f) => titles.get(f.id)).join('、')}`,
        });
      }
      onResult(
        failed.length === 0
          ? `已催办 ${done} 项。`
          : `已催办 ${done} 项；${failed.length} 项未能催办（已办结或已处理）：${failed.map((f) => titles.get(f.id)).join('、')}`,
      );
    },
  };
}

/** 升级督办队列 on the board: one card per late unit's work or call, filterable, grouped, with 批量催办. */
export function EscalationQueue({
  onChanged,
  plans = [],
}: {
  onChanged: () => void;
  /** The plans to filter by (the board's list). */
  plans?: ReadonlyArray<{ id: string; title: string }>;
}) {
  const [planId, setPlanId] = useState('');
  const [kind, setKind] = useState('');
  const [level, setLevel] = useState('');
  const [unitId, setUnitId] = useState('');
  const [grouping, setGrouping] = useState<Grouping>('task');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<string | null>(null);
  const query = new URLSearchParams({ open: 'true', limit: '500' });
  if (kind) query.set('kind', kind);
  if (level) query.set('level', level);
  if (unitId) query.set('unitId', unitId);
  if (planId) query.set('planId', planId);
  const queue = usePolling(
    () => getPages<EscalationListResponse>(`/escalations?${query.toString()}`),
    `escalations?${query.toString()}`,
  );
  const units = useUnits();
  const items = queue.data?.items ?? [];
  // Only what is still listed can stay chosen (an item handled or resolved meanwhile drops out).
  const listed = new Set(items.map((item) => item.id));
  const selected = [...chosen].filter((id) => listed.has(id));
  const canBatch = items.some((item) => item.allowedActions.includes('remind'));
  const titles = new Map(items.map((item) => [item.id, `${subjectLine(item)}（${item.unitName ?? ''}）`]));
  const refresh = () => {
    queue.refresh();
    onChanged();
  };
  const choose = (id: string, checked: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <>
      <h2>升级督办队列 {queue.data && <span className="count">{items.length}</span>}</h2>
      <div className="filters escalation-filters" aria-label="筛选督办事项">
        <label>
          类型
          <select value={kind} onChange={(event) => setKind(event.target.value)}>
            <option value="">全部</option>
            <option value="assignment">任务</option>
            <option value="call">乡呼县应</option>
          </select>
        </label>
        {plans.length > 1 && (
          <label>
            清单
            <select value={planId} onChange={(event) => setPlanId(event.target.value)}>
              <option value="">全部</option>
              {plans.map((plan) => (
                <option key={plan.id} value={plan.id}>
                  {plan.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          级别
          <select value={level} onChange={(event) => setLevel(event.target.value)}>
            <option value="">全部</option>
            <option value="3">三级</option>
            <option value="2">二级</option>
            <option value="1">一级</option>
          </select>
        </label>
        <label>
          单位
          <select value={unitId} onChange={(event) => setUnitId(event.target.value)}>
            <option value="">全部</option>
            {units
              .filter((unit) => unit.kind !== 'supervision' && unit.kind !== 'leadership')
              .map((unit) => (
                <option key={unit.id} value={unit.id}>
                  {unit.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          分组
          <select value={grouping} onChange={(event) => setGrouping(event.target.value as Grouping)}>
            <option value="task">按任务</option>
            <option value="unit">按单位</option>
            <option value="none">不分组</option>
          </select>
        </label>
      </div>
      {canBatch && (
        <div className="actions batch-bar">
          <button type="button" className="secondary" onClick={() => setChosen(new Set(listed))}>
            全选
          </button>
          <button type="button" className="secondary" onClick={() => setChosen(new Set())} disabled={!selected.length}>
            清空选择
          </button>
          <ActionButton
            action={batchRemind(selected, titles, setMessage)}
            onDone={() => {
              setChosen(new Set());
              refresh();
            }}
          />
        </div>
      )}
      {message && (
        <p className="muted" role="status" data-testid="batch-result">
          {message}
        </p>
      )}
      {!queue.data ? (
        <Loading error={queue.error} />
      ) : items.length === 0 ? (
        <p className="muted">没有待处理的升级事项。</p>
      ) : (
        groupItems(items, grouping).map(([key, heading, members]) => (
          <div className="escalation-group" key={key} data-testid="escalation-group">
            {heading && (
              <h3 className="group-head">
                {heading} <span className="count">{members.length}</span>
              </h3>
            )}
            <div className="cards" data-testid="escalations">
              {members.map((item) => (
                <EscalationCard
                  key={item.id}
                  item={item}
                  onDone={refresh}
                  selected={chosen.has(item.id)}
                  onSelect={item.allowedActions.includes('remind') ? (checked) => choose(item.id, checked) : undefined}
                />
              ))}
            </div>
          </div>
        ))
      )}
    </>
  );
}
