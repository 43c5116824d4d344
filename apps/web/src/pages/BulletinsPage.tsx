import { FormEvent, useState } from 'react';
import { errorMessage, fetchFile, get, post, saveFile, User } from '../api';
import { ErrorText, Loading } from '../components';
import { formatDateTime, percent } from '../format';
import { usePolling } from '../hooks';
import type { BulletinListResponse, BulletinResponse } from '../api-types';

const REFRESH_MS = 15_000;
const QUARTERS = ['一', '二', '三', '四'];

/** 「2026年11月」 / 「2026年第四季度」 from the API's period key (the label the bulletin itself prints). */
export function periodLabel(period: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return `${quarter[1]}年第${QUARTERS[Number(quarter[2]) - 1]}季度`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  return month ? `${month[1]}年${Number(month[2])}月` : period;
}

/** The periods the picker offers: the current and the previous twelve months, or the current and previous four quarters. */
function periodChoices(kind: 'month' | 'quarter', now = new Date()): string[] {
  // China time: the first hours of a month belong to it, whatever the browser's zone.
  const local = new Date(now.getTime() + 8 * 3600 * 1000);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  if (kind === 'month') {
    return Array.from({ length: 13 }, (_, back) => {
      const index = year * 12 + (month - 1) - back;
      return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    });
  }
  const current = year * 4 + Math.floor((month - 1) / 3);
  return Array.from({ length: 5 }, (_, back) => `${Math.floor((current - back) / 4)}-Q${((current - back) % 4) + 1}`);
}

/** The .docx through the API (it needs the token), saved under the name the API gives it. */
async function download(bulletin: BulletinResponse): Promise<void> {
  const response = await fetchFile(`/bulletins/${bulletin.id}/content`, '通报无法下载');
  await saveFile(
    response,
    bulletin.version > 1 ? `${bulletin.title}（第${bulletin.version}版）.docx` : `${bulletin.title}.docx`,
  );
}

/**
 * 通报: the 督查通报 issued so far, newest first — every unit reads them (a 通报 is sent to all) and downloads the
 * .docx; the supervision office also generates one for a month or quarter on demand.
 */
export function BulletinsPage({ user }: { user: User }) {
  const list = usePolling(() => get<BulletinListResponse>('/bulletins?limit=100'), 'bulletins', REFRESH_MS);
  const [kind, setKind] = useState<'month' | 'quarter'>('month');
  const [period, setPeriod] = useState(() => periodChoices('month')[1]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const isSupervisor = user.roles.includes('supervisor');

  const onKind = (next: 'month' | 'quarter') => {
    setKind(next);
    // The period just ended is the usual one to report on.
    setPeriod(periodChoices(next)[1]);
  };

  const onGenerate = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const created = await post<BulletinResponse>('/bulletins', { period });
      setNotice(`已生成${created.title}（${created.issueNumber}），并已通知各单位。`);
      list.refresh();
    } catch (caught) {
      setError(`生成失败：${errorMessage(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  const onDownload = (bulletin: BulletinResponse) => {
    setError(null);
    download(bulletin).catch((caught: unknown) => setError(`下载失败：${errorMessage(caught)}`));
  };

  return (
    <section>
      <h1>督查通报</h1>
      {isSupervisor && (
        <form className="filters" aria-label="生成通报" onSubmit={(event) => void onGenerate(event)}>
          <div role="group" aria-label="通报周期" className="segmented">
            <button type="button" aria-pressed={kind === 'month'} onClick={() => onKind('month')}>
              月度
            </button>
            <button type="button" aria-pressed={kind === 'quarter'} onClick={() => onKind('quarter')}>
              季度
            </button>
          </div>
          <label>
            期间
            <select value={period} onChange={(event) => setPeriod(event.target.value)}>
              {periodChoices(kind).map((choice) => (
                <option key={choice} value={choice}>
                  {periodLabel(choice)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? '生成中…' : '生成通报'}
          </button>
        </form>
      )}
      <ErrorText message={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <p className="muted small">
        每月第一个工作日 09:00 自动生成上月通报（1、4、7、10
        月另生成上季度通报）。通报中的任务、排名和乡呼县应数据为生成时的实时数据，“本期”数据为该期间内发生的事项。
      </p>
      {!list.data ? (
        <Loading error={list.error} />
      ) : list.data.items.length === 0 ? (
        <p className="muted">暂无通报</p>
      ) : (
        <table data-testid="bulletins">
          <thead>
            <tr>
              <th>期间</th>
              <th>期号</th>
              <th>生成方式</th>
              <th>生成时间</th>
              <th>任务</th>
              <th>红灯任务</th>
              <th>逾期事项</th>
              <th>按时完成率</th>
              <th>本期呼叫</th>
              <th>挂牌督办</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((bulletin) => (
              <tr key={bulletin.id} data-bulletin={bulletin.id}>
                <td>{periodLabel(bulletin.period)}</td>
                <td>{bulletin.issueNumber}</td>
                <td>{bulletin.trigger === 'scheduled' ? '定时' : '手动'}</td>
                <td>{formatDateTime(bulletin.generatedAt)}</td>
                <td>{bulletin.figures.tasks}</td>
                <td>{bulletin.figures.redTasks}</td>
                <td>{bulletin.figures.overdue}</td>
                <td>{percent(bulletin.figures.onTimeRate)}</td>
                <td>{bulletin.figures.callsRaised}</td>
                <td>{bulletin.figures.flagged}</td>
                <td>
                  <button type="button" onClick={() => onDownload(bulletin)}>
                    下载
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
