import { FormEvent, useRef, useState } from 'react';
import { apiRequest, errorMessage } from '../api';
import type { PlanPreviewResponse } from '../api-types';
import { ActionButton, ErrorText, Link } from '../components';

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

  const form = (withYear: boolean) => {
    const file = fileInput.current?.files?.[0];
    if (!file) throw new Error('请选择任务清单文件（.xlsx、.docx 或 .txt）。');
    const data = new FormData();
    data.append('file', file);
    if (withYear && year) data.append('year', year);
    return data;
  };

  const runPreview = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setPreview(null);
    setImported(null);
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
          <input value={year} onChange={(event) => setYear(event.target.value)} inputMode="numeric" pattern="\d{4}" />
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
            {preview.alreadyImportedAs.length > 0 && <span className="error">该文件已导入过</span>}
          </p>
          {preview.units.unresolved.length > 0 && (
            <p className="error">单位库中没有这些单位：{preview.units.unresolved.join('、')}</p>
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
                    <td data-label="完成时限">{task.deadline.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <ActionButton
              action={{
                label: '确认导入并启动',
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
