import { FormEvent, useEffect, useState } from 'react';
import { errorMessage, get, User } from '../api';
import { ErrorText, LightBadge, Link } from '../components';
import { formatDateTime } from '../format';
import { navigate, useQueryString, useUnitName } from '../hooks';
import { assignmentStatusLabel, callStatusLabel, searchFieldLabel, searchKindLabel, taskStatusLabel } from '../labels';
import type { SearchResponse } from '../api-types';

type Hit = SearchResponse['items'][number];
const KINDS = ['', 'task', 'report', 'call'] as const;

/** Where a hit opens: a task or a report opens its task page; a call opens the 乡呼县应 list. */
export function hitLink(hit: Hit): string {
  return hit.taskId ? `/tasks/${hit.taskId}` : '/calls';
}

/**
 * 搜索: the words and filters live in the URL (the header's box navigates here); results come a page at a time
 * and 加载更多 follows nextCursor.
 */
export function SearchPage({ user }: { user: User }) {
  const params = new URLSearchParams(useQueryString());
  const q = params.get('q') ?? '';
  const kind = params.get('kind') ?? '';
  const light = params.get('light') ?? '';
  const dueFrom = params.get('dueFrom') ?? '';
  const dueTo = params.get('dueTo') ?? '';
  const mine = params.get('unitId') === user.unitId;
  const unitName = useUnitName();
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const apiQuery = (cursor?: string) =>
    new URLSearchParams({
      q,
      limit: '20',
      ...(kind ? { kind } : {}),
      ...(light ? { light } : {}),
      ...(dueFrom ? { dueFrom } : {}),
      ...(dueTo ? { dueTo } : {}),
      ...(mine ? { unitId: user.unitId } : {}),
      ...(cursor ? { cursor } : {}),
    }).toString();
  const key = apiQuery();

  const load = async (cursor?: string) => {
    setLoading(true);
    setError(null);
    try {
      const page = await get<SearchResponse>(`/search?${apiQuery(cursor)}`);
      setHits((before) => (cursor && before ? [...before, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (failure) {
      setError(errorMessage(failure));
      if (!cursor) setHits(null);
    } finally {
      setLoading(false);
    }
  };
  // The URL's words and filters decide the list: a change starts it again from the first page.
  useEffect(() => {
    setHits(null);
    setNext(null);
    if (q.trim()) void load();
  }, [key]);

  /** A filter change is a new URL: the back button returns to the previous filters. */
  const change = (name: string, value: string) => {
    const updated = new URLSearchParams(params);
    if (value) updated.set(name, value);
    else updated.delete(name);
    navigate(`/search?${updated.toString()}`);
  };

  return (
    <section>
      <h1>搜索</h1>
      <SearchForm initial={q} />
      <div role="tablist" aria-label="搜索范围" className="segmented">
        {KINDS.map((value) => (
          <button
            key={value || 'all'}
            type="button"
            role="tab"
            aria-pressed={kind === value}
            aria-selected={kind === value}
            onClick={() => change('kind', value)}
          >
            {value ? searchKindLabel(value) : '全部'}
          </button>
        ))}
      </div>
      <div className="filters">
        <label>
          灯色
          <select value={light} onChange={(event) => change('light', event.target.value)}>
            <option value="">全部</option>
            <option value="red">逾期（红）</option>
            <option value="yellow">预警（黄）</option>
            <option value="green">正常（绿）</option>
          </select>
        </label>
        <label>
          时限自
          <input type="date" value={dueFrom} onChange={(event) => change('dueFrom', event.target.value)} />
        </label>
        <label>
          至
          <input type="date" value={dueTo} onChange={(event) => change('dueTo', event.target.value)} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={mine}
            onChange={(event) => change('unitId', event.target.checked ? user.unitId : '')}
          />
          只看本单位
        </label>
      </div>
      <ErrorText message={error} />
      {!q.trim() ? (
        <p className="muted">请输入关键词，可搜索任务名称、推进措施、预期目标、报告内容和乡呼县应事项。</p>
      ) : hits === null ? (
        !error && <p className="muted">正在搜索…</p>
      ) : hits.length === 0 ? (
        <p className="muted">没有找到与「{q}」相关的内容。</p>
      ) : (
        <>
          <ol className="cards search-results" aria-label="搜索结果">
            {hits.map((hit) => (
              <li className={`card item light-edge-${hit.light}`} key={`${hit.kind}:${hit.id}`} data-hit={hit.id}>
                <div className="item-head">
                  <span className="tag">{searchKindLabel(hit.kind)}</span>
                  <LightBadge light={hit.light} />
                  <span className="tag">
                    {hit.kind === 'call'
                      ? callStatusLabel(hit.status)
                      : hit.kind === 'report'
                        ? assignmentStatusLabel(hit.status)
                        : taskStatusLabel(hit.status)}
                  </span>
                </div>
                <h3>
                  <Link to={hitLink(hit)}>
                    {hit.taskNo !== null && `${hit.taskNo}. `}
                    {hit.title}
                  </Link>
                </h3>
                <p>
                  <span className="muted">{searchFieldLabel(hit.field)}：</span>
                  <Highlighted text={hit.snippet} words={q.trim()} />
                </p>
                <p className="meta">
                  {hit.kind === 'report' && <span>报告单位：{unitName(hit.unitId)}</span>}
                  {hit.kind === 'call' && (
                    <span>
                      {unitName(hit.fromUnitId)} → {unitName(hit.unitId)}
                    </span>
                  )}
                  {hit.at && (
                    <span>
                      {hit.kind === 'task' ? '完成时限' : '时间'}：{formatDateTime(hit.at)}
                    </span>
                  )}
                </p>
              </li>
            ))}
          </ol>
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

/** The header's search box (and the page's own): Enter or 搜索 opens the 搜索 page with the words. */
export function SearchForm({ initial = '', compact = false }: { initial?: string; compact?: boolean }) {
  const [words, setWords] = useState(initial);
  useEffect(() => setWords(initial), [initial]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!words.trim()) return;
    navigate(`/search?${new URLSearchParams({ q: words.trim() }).toString()}`);
  };
  return (
    <form role="search" className={compact ? 'header-search' : 'search-form'} onSubmit={submit}>
      <input
        type="search"
        aria-label={compact ? '全局搜索' : '关键词'}
        placeholder="搜索任务、报告、呼叫"
        maxLength={100}
        value={words}
        onChange={(event) => setWords(event.target.value)}
      />
      <button type="submit">搜索</button>
    </form>
  );
}

/** The snippet with the searched words marked. */
function Highlighted({ text, words }: { text: string; words: string }) {
  const at = text.toLowerCase().indexOf(words.toLowerCase());
  if (!words || at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + words.length)}</mark>
      {text.slice(at + words.length)}
    </>
  );
}
