import { useEffect, useState } from 'react';
import { errorMessage, get } from '../api';
import { ErrorText, Link } from '../components';
import { formatDateTime } from '../format';
import { auditActionLabel } from '../labels';
import type { DoneResponse } from '../api-types';
import { UnitName } from '../mine';

type Item = DoneResponse['items'][number];

/** 已办: what I (我的) or my unit (本单位) did, newest first, from the audit log; 加载更多 follows nextCursor. */
export function DonePage() {
  const [scope, setScope] = useState<'me' | 'unit'>('me');
  const [items, setItems] = useState<Item[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (cursor?: string) => {
    setLoading(true);
    setError(null);
    try {
      const query = new URLSearchParams({ scope, limit: '30', ...(cursor ? { cursor } : {}) });
      const page = await get<DoneResponse>(`/done?${query.toString()}`);
      setItems((before) => (cursor && before ? [...before, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setLoading(false);
    }
  };
  // Switching 我的/本单位 starts the list again from the first page.
  useEffect(() => {
    setItems(null);
    void load();
  }, [scope]);

  return (
    <section>
      <h1>已办</h1>
      <div role="group" aria-label="范围" className="segmented">
        <button type="button" aria-pressed={scope === 'me'} onClick={() => setScope('me')}>
          我的
        </button>
        <button type="button" aria-pressed={scope === 'unit'} onClick={() => setScope('unit')}>
          本单位
        </button>
      </div>
      <ErrorText message={error} />
      {items === null ? (
        !error && <p className="muted">正在加载…</p>
      ) : items.length === 0 ? (
        <p className="muted">{scope === 'me' ? '您还没有办理过事项。' : '本单位还没有办理过事项。'}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="responsive done-list">
              <thead>
                <tr>
                  <th>时间</th>
                  <th>办理</th>
                  <th>事项</th>
                  <th>办理人</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.seq} data-done={item.action}>
                    <td data-label="时间">{formatDateTime(item.at)}</td>
                    <td data-label="办理">{auditActionLabel(item.action)}</td>
                    <td data-label="事项">
                      <Subject item={item} />
                    </td>
                    <td data-label="办理人">
                      {item.actorName ?? '—'}
                      <div className="muted small">
                        <UnitName id={item.actorUnitId} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next && (
            <button type="button" disabled={loading} onClick={() => void load(next)}>
              {loading ? '正在加载…' : '加载更多'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function Subject({ item }: { item: Item }) {
  if (item.callId) return <Link to={`/calls/${item.callId}`}>乡呼县应：{item.callSubject}</Link>;
  if (!item.taskId) return <>—</>;
  return (
    <>
      <Link to={`/tasks/${item.taskId}`}>
        {item.taskNo}. {item.taskTitle}
      </Link>
      <div className="muted small">
        {item.planTitle}
        {item.unitId && (
          <>
            {' · '}
            <UnitName id={item.unitId} />
          </>
        )}
      </div>
    </>
  );
}
