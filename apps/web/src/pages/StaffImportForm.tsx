import { FormEvent, useRef, useState } from 'react';
import { ApiError, apiRequest, errorMessage } from '../api';
import type { components } from '../api-types';
import { ErrorText } from '../components';

type ImportAnswer = components['schemas']['StaffImportResponse'];
type RowProblem = components['schemas']['StaffImportProblemResponse'];

/**
 * 批量导入 on 用户管理: preview a staff list (.xlsx or .csv; nothing written), then import it — all rows, or
 * only the valid ones. The one-time passwords come back once, as an .xlsx to download; they are never shown
 * again and never stored.
 */
export function StaffImportForm({ onImported }: { onImported: () => void }) {
  const [open, setOpen] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<ImportAnswer | null>(null);
  const [result, setResult] = useState<ImportAnswer | null>(null);
  const [error, setError] = useState<{ message: string; problems: RowProblem[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (query: string) => {
    const file = fileInput.current?.files?.[0];
    if (!file) throw new Error('请选择人员名单文件（.xlsx 或 .csv）。');
    const data = new FormData();
    data.append('file', file);
    return apiRequest<ImportAnswer>('POST', `/users/import${query}`, data);
  };
  const run = async (query: string, then: (answer: ImportAnswer) => void) => {
    setBusy(true);
    setError(null);
    try {
      then(await send(query));
    } catch (caught) {
      const problems = caught instanceof ApiError ? (caught.problem.problems as RowProblem[] | undefined) : undefined;
      setError({ message: errorMessage(caught), problems: problems ?? [] });
    } finally {
      setBusy(false);
    }
  };
  const runPreview = (event: FormEvent) => {
    event.preventDefault();
    setPreview(null);
    setResult(null);
    void run('?dryRun=true', setPreview);
  };
  const runImport = (partial: boolean) =>
    void run(partial ? '?partial=true' : '', (answer) => {
      setPreview(null);
      setResult(answer);
      onImported();
    });

  if (!open)
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)}>
          批量导入
        </button>
      </p>
    );
  return (
    <div className="card" data-testid="staff-import">
      <h2>批量导入人员</h2>
      <form onSubmit={runPreview}>
        <label className="field">
          <span>人员名单（.xlsx 或 .csv，列：用户名、姓名、单位、角色、手机、邮箱；不超过 2 MB、2000 行）</span>
          <input
            ref={fileInput}
            name="file"
            type="file"
            accept=".xlsx,.csv"
            required
            onChange={() => (setPreview(null), setResult(null), setError(null))}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          预览
        </button>{' '}
        <button type="button" onClick={() => setOpen(false)}>
          收起
        </button>
      </form>
      {error && (
        <>
          <ErrorText message={error.message} />
          <Problems problems={error.problems} />
        </>
      )}
      {preview && (
        <div data-testid="staff-import-preview">
          <p className="meta">
            <span>共 {preview.totalRows} 行</span>
            <span>将新建 {preview.created} 人</span>
            <span>已存在且一致 {preview.unchanged} 人</span>
            {preview.problems.length > 0 && <span className="error">错误 {preview.problems.length} 处</span>}
          </p>
          <Problems problems={preview.problems} />
          {preview.problems.length === 0 ? (
            <button
              type="button"
              className="primary"
              disabled={busy || preview.created === 0}
              onClick={() => runImport(false)}
            >
              导入 {preview.created} 人
            </button>
          ) : (
            <button type="button" disabled={busy || preview.created === 0} onClick={() => runImport(true)}>
              只导入正确的 {preview.created} 人（有错误的行不导入）
            </button>
          )}
        </div>
      )}
      {result && <ImportResult result={result} />}
    </div>
  );
}

function Problems({ problems }: { problems: RowProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <table className="problems" data-testid="staff-import-problems">
      <thead>
        <tr>
          <th>行</th>
          <th>列</th>
          <th>问题</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((problem, index) => (
          <tr key={`${problem.row}-${problem.column ?? ''}-${index}`}>
            <td>第 {problem.row} 行</td>
            <td>{problem.column ?? '—'}</td>
            <td>{problem.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ImportResult({ result }: { result: ImportAnswer }) {
  const sheet = result.passwordSheet;
  const download = () => {
    if (!sheet) return;
    const bytes = Uint8Array.from(atob(sheet.base64), (character) => character.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: sheet.contentType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = sheet.filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="notice" role="status" data-testid="staff-import-result">
      <p>
        已新建 {result.created} 人，{result.unchanged} 人已存在且一致未改动
        {result.partial && `；${result.problems.length} 处错误所在的行未导入`}。
      </p>
      <Problems problems={result.problems} />
      {sheet && (
        <p>
          <button type="button" className="primary" onClick={download}>
            下载初始密码（{sheet.filename}）
          </button>{' '}
          初始密码只提供这一次，请妥善分发，首次登录后须修改。
        </p>
      )}
    </div>
  );
}
