import { useState } from 'react';
import { getPages, User } from '../api';
import { LightBadge, Link, LoadMore, Loading } from '../components';
import { formatDateTime } from '../format';
import { ExportButtons } from '../exports';
import { usePolling, useUnitName } from '../hooks';
import { taskStatusLabel } from '../labels';
import { PrintButton, PrintStamp } from '../print';
import type { TaskListResponse } from '../api-types';

/** Every task, filterable by light, unit and plan — the way into a task page. */
export function TasksPage({ user }: { user: User }) {
  const [light, setLight] = useState('');
  const [mine, setMine] = useState(false);
  const unitName = useUnitName();
  // Pages shown: 加载更多 adds one, a filter change starts again from the first.
  const [pages, setPages] = useState(1);
  const query = new URLSearchParams({
    limit: '500',
    ...(light ? { light } : {}),
    ...(mine ? { unitId: user.unitId } : {}),
  });
  const tasks = usePolling(
    () => getPages<TaskListResponse>(`/tasks?${query}`, pages),
    `${query.toString()}&pages=${pages}`,
    10_000,
  );
  return (
    <section>
      <PrintStamp title="任务台账" />
      <div className="page-head">
        <h1>任务</h1>
        <PrintButton />
      </div>
      <div className="filters">
        <label>
          灯色
          <select value={light} onChange={(event) => (setLight(event.target.value), setPages(1))}>
            <option value="">全部</option>
            <option value="red">逾期（红）</option>
            <option value="yellow">预警（黄）</option>
            <option value="green">正常（绿）</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={mine} onChange={(event) => (setMine(event.target.checked), setPages(1))} />
          只看本单位参与的任务
        </label>
      </div>
      <ExportButtons
        kinds={['ledger', 'ranking', 'calls']}
        filters={{ ledger: { light, unitId: mine ? user.unitId : undefined } }}
      />
      {!tasks.data ? (
        <Loading error={tasks.error} />
      ) : (
        <>
          <p className="muted small">
            共 {tasks.data.total} 项，已显示 {tasks.data.items.length} 项
          </p>
          <div className="table-scroll">
            <table className="responsive">
              <thead>
                <tr>
                  <th>序号</th>
                  <th>任务</th>
                  <th>牵头单位</th>
                  <th>完成时限</th>
                  <th>状态</th>
                  <th>灯色</th>
                </tr>
              </thead>
              <tbody>
                {tasks.data.items.map((task) => (
                  <tr key={task.id}>
                    <td data-label="序号">{task.no}</td>
                    <td data-label="任务">
                      <Link to={`/tasks/${task.id}`}>{task.title}</Link>
                    </td>
                    <td data-label="牵头单位">{task.leadUnitIds.map(unitName).join('、')}</td>
                    <td data-label="完成时限">
                      {task.deadline.text}
                      {task.deadline.dueAt && <div className="muted small">{formatDateTime(task.deadline.dueAt)}</div>}
                    </td>
                    <td data-label="状态">{taskStatusLabel(task.status)}</td>
                    <td data-label="灯色">
                      <LightBadge light={task.light} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore more={tasks.data.more} onMore={() => setPages(pages + 1)} />
        </>
      )}
    </section>
  );
}
