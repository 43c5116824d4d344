import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  IRunOptions,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import {
  ASSIGNMENT_STATUS_LABELS,
  BulletinContent,
  BulletinCounts,
  CALL_STATUS_LABELS,
  percentText,
  TASK_STATUS_LABELS,
} from '@county/domain';

/**
 * The 督查通报 as a Word document (issue 17): A4, the fonts Chinese official documents use (GB/T 9704 style —
 * 方正小标宋 title, 黑体 section heads, 仿宋 body, 宋体 tables), six sections in the order the office reads them.
 * Pure: the content comes in, the bytes go out; no clock (the date printed is the content's generatedAt).
 */

const FONT = {
  title: '方正小标宋简体',
  heading: '黑体',
  body: '仿宋_GB2312',
  table: '宋体',
} as const;
/** Half-points: 二号 22pt for the title, 三号 16pt for body and heads, 四号 14pt… 五号 10.5pt in tables. */
const SIZE = { title: 44, body: 32, meta: 28, table: 21 } as const;
/** A4 in twentieths of a point, with the 公文 margins (37 mm top, 35 mm bottom, 28 mm left, 26 mm right). */
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: 2098, bottom: 1984, left: 1587, right: 1474 };

// Statuses are worded as everywhere else (libs/domain); a light reads as its colour here: 红灯 3 项.
const LIGHT: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };

function run(text: string, font: string, size: number, extra: Partial<IRunOptions> = {}): TextRun {
  // Every character set gets the font: Latin digits in a Chinese line otherwise fall back to Calibri.
  return new TextRun({ text, font: { ascii: font, eastAsia: font, hAnsi: font, cs: font }, size, ...extra });
}

function body(
  text: string,
  options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {},
) {
  return new Paragraph({
    children: [run(text, FONT.body, SIZE.body)],
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    // 首行缩进两字 (2 × 16pt), the usual body layout.
    indent: options.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: 560 },
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({
    heading: HeadingLevel.HEADING_1,
    children: [run(text, FONT.heading, SIZE.body, { color: '000000' })],
    indent: { firstLine: 640 },
    spacing: { before: 240, line: 560 },
  });
}

function cell(text: string, header = false): TableCell {
  return new TableCell({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [run(text, FONT.table, SIZE.table, { bold: header })],
      }),
    ],
  });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function table(header: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: {
      top: BORDER,
      bottom: BORDER,
      left: BORDER,
      right: BORDER,
      insideHorizontal: BORDER,
      insideVertical: BORDER,
    },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((text) => cell(text, true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((text) => cell(text)) })),
    ],
  });
}

/** 「推进中 5 项、已销号 2 项」 in the order the labels list them, unknown codes last. */
function countsText(counts: BulletinCounts, labels: Readonly<Record<string, string>>): string {
  const known = Object.keys(labels).filter((code) => counts.byStatus[code]);
  const unknown = Object.keys(counts.byStatus).filter((code) => !(code in labels) && counts.byStatus[code]);
  const parts = [...known, ...unknown].map((code) => `${labels[code] ?? code} ${counts.byStatus[code]} 项`);
  return parts.length ? parts.join('、') : '无';
}

function lightsText(counts: BulletinCounts): string {
  return ['green', 'yellow', 'red'].map((light) => `${LIGHT[light]} ${counts.byLight[light] ?? 0} 项`).join('、');
}

/** 「2026年12月1日」 in China time. */
function chinaDate(iso: string): string {
  const local = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

function callCounts(byStatus: Record<string, number>): string {
  const parts = Object.keys(CALL_STATUS_LABELS)
    .filter((code) => byStatus[code])
    .map((code) => `${CALL_STATUS_LABELS[code]} ${byStatus[code]} 件`);
  return parts.length ? `（${parts.join('、')}）` : '';
}

export async function writeBulletin(content: BulletinContent): Promise<Buffer> {
  const { live, inPeriod } = content;
  const children: Array<Paragraph | Table> = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(content.issueNumber, FONT.body, SIZE.meta)],
      spacing: { after: 120 },
    }),
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      children: [run(content.title, FONT.title, SIZE.title, { color: '000000' })],
      spacing: { after: 240, line: 700 },
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      // A full-width space (U+3000) between the issuer and the date, as 公文 set them.
      children: [run(`${content.issuer}\u3000${chinaDate(content.generatedAt)}`, FONT.body, SIZE.meta)],
      spacing: { after: 360 },
    }),
    body(
      `现将${content.period.label}全县改革任务推进和“乡呼县应”办理情况通报如下。本通报中任务、承办事项、排名和乡呼县应各单位数据为生成时（${chinaDate(
        content.generatedAt,
      )}）的实时数据，与督查看板一致；“本期”数据统计${content.period.label}内发生的事项。`,
    ),

    heading('一、总体情况'),
    body(
      `全县共有改革任务 ${live.tasks.total} 项，其中${countsText(live.tasks, TASK_STATUS_LABELS)}；${lightsText(live.tasks)}。`,
    ),
    body(
      `承办事项共 ${live.assignments.total} 项，其中${countsText(live.assignments, ASSIGNMENT_STATUS_LABELS)}；${lightsText(
        live.assignments,
      )}。`,
    ),
    body(
      `已审核通过 ${live.approved} 项，其中按时完成 ${live.approvedOnTime} 项，按时完成率 ${percentText(
        live.onTimeRate,
      )}；当前逾期未完成 ${live.overdue} 项，本期新增逾期 ${inPeriod.assignmentsFellOverdue} 项。`,
    ),
    body(
      `“乡呼县应”累计收到呼叫 ${live.calls.total} 件${callCounts(live.calls.byStatus)}，已响应 ${live.calls.responded} 件，已办结 ${
        live.calls.resolved
      } 件，满意率 ${percentText(live.calls.satisfactionRate)}；本期新收到呼叫 ${inPeriod.callsRaised} 件。`,
    ),

    heading('二、红灯任务'),
    ...(content.redTasks.length
      ? [
          body(`目前亮红灯的任务共 ${content.redTasks.length} 项：`),
          table(
            ['序号', '任务', '牵头单位', '时限'],
            content.redTasks.map((task) => [
              String(task.no),
              task.title,
              task.leadUnitNames.join('、'),
              task.deadlineText,
            ]),
          ),
        ]
      : [body('目前没有亮红灯的任务。')]),

    heading('三、逾期单位'),
    ...(content.overdueUnits.length
      ? [
          body(
            `以下单位有逾期未完成的承办事项：${content.overdueUnits
              .map((unit) => `${unit.unitName}（${unit.overdue} 项）`)
              .join('、')}。请上述单位抓紧办理，按要求报送进展。`,
          ),
        ]
      : [body('目前没有逾期未完成承办事项的单位。')]),

    heading('四、单位排名'),
    ...(content.ranking.length
      ? [
          table(
            ['排名', '单位', '承办事项', '已审核通过', '按时完成', '按时完成率', '逾期', '红灯'],
            content.ranking.map((row) => [
              String(row.rank),
              row.unitName,
              String(row.total),
              String(row.approved),
              String(row.approvedOnTime),
              percentText(row.onTimeRate),
              String(row.overdue),
              String(row.red),
            ]),
          ),
        ]
      : [body('暂无承办事项。')]),

    heading('五、乡呼县应情况'),
    ...(content.calls.length
      ? [
          table(
            ['排名', '单位', '收到', '已响应', '响应率', '按时响应率', '办结率', '满意率', '返工'],
            content.calls.map((row) => [
              String(row.rank),
              row.unitName,
              String(row.received),
              String(row.responded),
              percentText(row.responseRate),
              percentText(row.onTimeResponseRate),
              percentText(row.resolutionRate),
              percentText(row.satisfactionRate),
              String(row.reworkCount),
            ]),
          ),
        ]
      : [body('暂无乡呼县应呼叫。')]),

    heading('六、挂牌督办事项'),
    ...(content.flagged.length
      ? content.flagged.flatMap((item, index) => [
          body(
            `${index + 1}. ${item.subjectType === 'call' ? '乡呼县应' : '任务'}“${item.subject}”（${item.unitName}）：${
              item.reason
            }，${chinaDate(item.createdAt)}升至挂牌督办${item.handled ? '，已处理' : '，尚未办结'}。`,
          ),
          ...(item.instructions.length
            ? item.instructions.map((instruction) =>
                body(`领导批示（${instruction.authorName}，${chinaDate(instruction.createdAt)}）：${instruction.body}`),
              )
            : [body('暂无领导批示。')]),
        ])
      : [body('本期没有挂牌督办事项。')]),
  ];

  const document = new Document({
    creator: content.issuer,
    title: content.title,
    styles: {
      default: {
        document: { run: { font: { ascii: FONT.body, eastAsia: FONT.body, hAnsi: FONT.body }, size: SIZE.body } },
      },
    },
    sections: [{ properties: { page: { size: A4, margin: MARGIN } }, children }],
  });
  return Packer.toBuffer(document);
}
