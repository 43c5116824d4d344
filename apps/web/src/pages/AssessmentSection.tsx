import { useState } from 'react';
import { ApiError, errorMessage, get, getSession } from '../api';
import { ErrorText, Loading } from '../components';
import { percent } from '../format';
import { usePolling } from '../hooks';
import type { AssessmentResponse } from '../api-types';

type PeriodKind = 'month' | 'quarter' | 'year';

/** This month, quarter or year in China time (the API's periods are China time too; China keeps no DST). */
function currentPeriod(kind: PeriodKind, now = new Date()): string {
  const china = new Date(now.getTime() + 8 * 3600_000);
  const year = china.getUTCFullYear();
  const month = china.getUTCMonth() + 1;
  if (kind === 'year') return String(year);
  if (kind === 'quarter') return `${year}-Q${Math.ceil(month / 3)}`;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The export is a file behind the token: fetched, then handed to the browser under its name. */
async function downloadAssessment(period: string): Promise<void> {
  const token = getSession()?.accessToken;
  const response = await fetch(`/api/v1/exports/assessment.xlsx?period=${encodeURIComponent(period)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    throw new ApiError({ status: response.status, detail: problem.detail ?? `导出失败（HTTP ${response.status}）。` });
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `考核-${period}.xlsx`;
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * 考核 on the board: each unit's score for a month, quarter or year, with the rates and deductions behind it
 * (formula in the README; weights are the county's). A unit sees its own row only.
 */
export function AssessmentSection() {
  const [kind, setKind] = useState<PeriodKind>('month');
  const [period, setPeriod] = useState(currentPeriod('month'));
  const [exportError, setExportError] = useState<string | null>(null);
  const assessment = usePolling(
    () => get<AssessmentResponse>(`/assessment?period=${encodeURIComponent(period)}`),
    `assessment-${period}`,
    15_000,
  );
  const choose = (next: PeriodKind) => {
    setKind(next);
    setPeriod(currentPeriod(next));
  };
  const { weights, deductions } = assessment.data?.policy ?? {};

  return (
    <section className="assessment" data-testid="assessment">
      <div className="section-head">
        <h2>考核</h2>
        <div className="assessment-controls no-print">
          <select value={kind} onChange={(event) => choose(event.target.value as PeriodKind)} aria-label="考核周期">
            <option value="month">月度</option>
            <option value="quarter">季度</option>
            <option value="year">年度</option>
          </select>
          <input
            aria-label="考核期间"
            value={period}
            onChange={(event) => setPeriod(event.target.value.trim())}
            placeholder={kind === 'month' ? '2026-11' : kind === 'quarter' ? '2026-Q4' : '2026'}
            size={8}
          />
          <button
            type="button"
            onClick={() => {
              setExportError(null);
              downloadAssessment(period).catch((error: unknown) => setExportError(errorMessage(error)));
            }}
          >
            导出
          </button>
        </div>
        <span className="print-only">考核期间：{period}</span>
      </div>
      <ErrorText message={exportError} />
      {!assessment.data ? (
        <Loading error={assessment.error} />
      ) : assessment.data.units.length === 0 ? (
        <p className="muted">该期间暂无可考核的任务或呼叫。</p>
      ) : (
        <div className="table-scroll">
          <table className="responsive ranking" data-testid="assessment-ranking">
            <thead>
              <tr>
                <th>排名</th>
                <th>单位</th>
                <th>得分</th>
                <th>任务按时完成率</th>
                <th>呼应按时响应率</th>
                <th>按时办结率</th>
                <th>满意率</th>
                <th>扣分</th>
              </tr>
            </thead>
            <tbody>
              {assessment.data.units.map((unit) => (
                <tr key={unit.unitId}>
                  <td data-label="排名">{unit.rank}</td>
                  <td data-label="单位">{unit.unitName}</td>
                  <td data-label="得分">
                    <strong>{unit.score.toFixed(2)}</strong>
                  </td>
                  <td data-label="任务按时完成率">
                    {percent(unit.components.taskOnTime)}（{unit.figures.approvedOnTime}/{unit.figures.assignmentsDue}）
                  </td>
                  <td data-label="呼应按时响应率">{percent(unit.components.callResponse)}</td>
                  <td data-label="按时办结率">{percent(unit.components.callResolution)}</td>
                  <td data-label="满意率">{percent(unit.components.satisfaction)}</td>
                  <td
                    data-label="扣分"
                    title={`逾期 ${unit.figures.overdue} 项；预警 一级 ${unit.figures.escalations.level1}、二级 ${unit.figures.escalations.level2}、三级 ${unit.figures.escalations.level3}`}
                  >
                    {unit.deductions > 0 ? `−${unit.deductions}` : '0'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {weights && deductions && (
        <p className="muted assessment-formula">
          得分 = 任务按时完成率×{weights.taskOnTime} + 呼应按时响应率×{weights.callResponse} + 按时办结率×
          {weights.callResolution} + 满意率×{weights.satisfaction}（无该项工作的单位按其余各项折算为百分制），
          减去每项逾期 {deductions.perOverdue} 分、每次预警 一级 {deductions.perEscalation.level1} / 二级{' '}
          {deductions.perEscalation.level2} / 三级 {deductions.perEscalation.level3} 分，最低 0 分。
          {assessment.data && assessment.data.rankedUnits > assessment.data.units.length
            ? ` 共 ${assessment.data.rankedUnits} 个单位参与排名，此处仅显示本单位。`
            : ''}
        </p>
      )}
    </section>
  );
}
