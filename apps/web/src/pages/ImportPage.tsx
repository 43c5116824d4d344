import { FormEvent, useRef, useState } from 'react';
import { apiRequest, errorMessage } from '../api';
import type { PlanPreviewResponse } from '../api-types';
import { ActionButton, ErrorText, Link } from '../components';
import { formatDay } from '../format';

type Preview = PlanPreviewResponse;

/** Where a warning is: the sheet and row of an .xlsx (a workbook has several sheets), else the line or table row. */
function warningPlace(warning: Preview['plan']['warnings'][number]): string {
  if (warning.sheet !== undefined)
    return warning.line ? `工作表「${warning.sheet}」第 ${warning.line} 行：` : `工作表「${warning.sheet}」：`;
  return warning.line ? `第 ${warning.line} 行：` : '';
}

/** 导入: preview a task list (nothing stored), then import it and start its workflows. */
export function ImportPage() {
  const fileInput = useRef<HTMLInputElement>(null);
  const [year, setYear] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<{ id: string; title: string } | null>(null);
  // Both are asked for only when the preview shows the need, and both are cleared with a new preview.
  const [importAgain, setImportAgain] = useState(false);
  const [addNewUnits, setAddNewUnits] = useState(false);

  /** The same form for the preview and the import, so the preview shows the deadlines the import will set. */
  const form = (forImport: boolean) => {
    const file = fileInput.current?.files?.[0];
    if (!file) throw new Error('请选择任务清单文件（.xlsx、.docx 或 .txt）。');
    if (year && !/^\d{4}$/.test(year)) throw new Error('时限年份应为四位数字，例如 2027。');
    const data = new FormData();
    data.append('file', file);
    if (year) data.append('year', year);
    if (forImport && importAgain) data.append('allowDuplicate', 'true');
    if (forImport && addNewUnits) data.append('allowNewUnits', 'true');
    return data;
  };

  const runPreview = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setPreview(null);
    setImported(null);
    setImportAgain(false);
    setAddNewUnits(false);
    try {
      setPreview(await apiRequest<Preview>('POST', '/plans/preview', form(false)));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <section>
      <h1>导入任务清单</h1>
      <form className="card" onSubmit={runPreview}>
        <label className="field">
          <span>任务清单文件（Excel、Word 或文本表格）</span>
          <input
            ref={fileInput}
            name="file"
            type="file"
            accept=".xlsx,.docx,.txt"
            required
            onChange={() => setPreview(null)}
          />
        </label>
        <label className="field">
          <span>时限年份（可选：把全部时限移到该年）</span>
          <input
            name="year"
            value={year}
            onChange={(event) => {
              setYear(event.target.value);
              setPreview(null);
            }}
            inputMode="numeric"
            pattern="\d{4}"
            placeholder="例如 2027"
          />
        </label>
        <ErrorText message={error} />
        <button type="submit" className="primary">
          预览
        </button>
      </form>
      {imported && (
        <p className="notice" role="status">
          已导入「{imported.title}」，各任务流程已启动。<Link to="/board">查看督查看板</Link>
        </p>
      )}
      {preview && (
        <div className="card">
          <h2>{preview.title}</h2>
          <p className="meta">
            <span>共 {preview.plan.tasks.length} 项任务</span>
            <span>格式：{preview.format}</span>
            {year && <span>时限已移到 {year} 年</span>}
          </p>
          {preview.alreadyImportedAs.length > 0 && (
            <label className="check error" data-testid="already-imported">
              <input type="checkbox" checked={importAgain} onChange={(event) => setImportAgain(event.target.checked)} />
              该文件已导入过（{preview.alreadyImportedAs.length} 次）。仍要再次导入
            </label>
          )}
          {preview.units.unresolved.length > 0 && (
            <label className="check error" data-testid="unresolved-units">
              <input type="checkbox" checked={addNewUnits} onChange={(event) => setAddNewUnits(event.target.checked)} />
              单位库中没有这些单位：{preview.units.unresolved.join('、')}。导入时把它们添加为新单位
            </label>
          )}
          {preview.unknownDeadlines && (
            // Such tasks get no clock until the supervision office sets a deadline: say so before the import.
            <p className="error" data-testid="unknown-deadlines">
              {preview.unknownDeadlines.message}
            </p>
          )}
          {preview.plan.warnings.length > 0 && (
            <ul className="warnings">
              {preview.plan.warnings.map((warning, index) => (
                <li key={index}>
                  {warningPlace(warning)}
                  {warning.message}
                </li>
              ))}
            </ul>
          )}
          <div className="table-scroll">
            <table className="responsive">
              <thead>
                <tr>
                  <th>序号</th>
                  <th>主要任务</th>
                  <th>牵头单位</th>
                  <th>责任单位</th>
                  <th>完成时限</th>
                </tr>
              </thead>
              <tbody>
                {preview.plan.tasks.map((task) => (
                  <tr key={task.no}>
                    <td data-label="序号">{task.no}</td>
                    <td data-label="主要任务">{task.title}</td>
                    <td data-label="牵头单位">{task.leadUnits.join('、')}</td>
                    <td data-label="责任单位">
                      {task.responsibleUnits.join('、')}
                      {task.allTownships ? '（各乡镇）' : ''}
                    </td>
                    <td data-label="完成时限">
                      {task.deadline.date ? <span className="nowrap">{formatDay(task.deadline.date)}</span> : null}
                      {task.deadline.date ? (
                        <span className="muted"> 原文：{task.deadline.text}</span>
                      ) : (
                        task.deadline.text
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <ActionButton
              action={{
                label: '确认导入并启动',
                disabled:
                  (preview.alreadyImportedAs.length > 0 && !importAgain) ||
                  (preview.units.unresolved.length > 0 && !addNewUnits),
                hint: '请先确认上方提示',
                title: `导入「${preview.title}」并启动 ${preview.plan.tasks.length} 项任务的办理流程？`,
                run: async () => {
                  const plan = await apiRequest<{ id: string; title: string }>('POST', '/plans', form(true));
                  setImported(plan);
                },
              }}
              onDone={() => setPreview(null)}
            />
          </div>
        </div>
      )}
    </section>
  );
}
