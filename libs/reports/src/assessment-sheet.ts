import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ASSESSMENT_COMPONENT_NAMES, ASSESSMENT_COMPONENTS, AssessmentScore } from '@county/domain';

/** The header row, in the order of the columns (what the supervision office reads). */
export const ASSESSMENT_SHEET_HEADERS = [
  '排名',
  '单位',
  '得分',
  ...ASSESSMENT_COMPONENTS.map((component) => ASSESSMENT_COMPONENT_NAMES[component]),
  '扣分',
  '到期任务',
  '按时完成',
  '逾期',
  '一级预警',
  '二级督办',
  '三级挂牌',
  '收到呼叫',
  '按时响应',
  '按时办结',
  '满意评价',
  '返工',
] as const;

/** A rate as the percentage shown on the board (two decimals), or empty when the unit had no such work. */
const percent = (rate: number | null): number | string => (rate === null ? '' : Math.round(rate * 10000) / 100);

/**
 * 考核 for one period as .xlsx, streamed to `output` row by row (exceljs WorkbookWriter): title row, header row,
 * one row per ranked unit. Inline strings, no shared-string table, so nothing is held back until the end.
 */
export async function writeAssessmentSheet(
  output: Writable,
  period: string,
  scores: readonly AssessmentScore[],
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('考核');
  sheet.columns = ASSESSMENT_SHEET_HEADERS.map((header) => ({ width: header === '单位' ? 24 : 12 }));
  sheet.addRow([`${period} 考核得分`]).commit();
  const header = sheet.addRow([...ASSESSMENT_SHEET_HEADERS]);
  header.font = { bold: true };
  header.commit();
  for (const score of scores) {
    const { figures } = score;
    sheet
      .addRow([
        score.rank,
        score.unitName,
        score.score,
        ...ASSESSMENT_COMPONENTS.map((component) => percent(score.components[component])),
        score.deductions,
        figures.assignmentsDue,
        figures.approvedOnTime,
        figures.overdue,
        figures.escalations.level1,
        figures.escalations.level2,
        figures.escalations.level3,
        figures.callsReceived,
        figures.respondedOnTime,
        figures.resolvedOnTime,
        figures.satisfied,
        figures.rework,
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}
