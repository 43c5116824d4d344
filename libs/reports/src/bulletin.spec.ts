import { unzipSync, strFromU8 } from 'fflate';
import { BulletinContent } from '@county/domain';
import { writeBulletin } from './bulletin';

const content: BulletinContent = {
  countyName: '平罗县',
  issuer: '县委督查室',
  title: '平罗县改革任务督查通报（2026年11月）',
  issueNumber: '2026年第11期',
  period: {
    key: '2026-11',
    kind: 'month',
    label: '2026年11月',
    start: '2026-10-31T16:00:00.000Z',
    end: '2026-11-30T16:00:00.000Z',
  },
  generatedAt: '2026-12-01T01:00:00.000Z',
  live: {
    tasks: { byStatus: { 'in-progress': 3, closed: 1 }, byLight: { green: 2, yellow: 1, red: 1 }, total: 4 },
    assignments: { byStatus: { approved: 2, assigned: 5 }, byLight: { green: 5, yellow: 0, red: 2 }, total: 7 },
    approved: 2,
    approvedOnTime: 1,
    onTimeRate: 0.5,
    overdue: 2,
    calls: { total: 3, byStatus: { raised: 1, closed: 2 }, responded: 2, resolved: 2, satisfactionRate: 2 / 3 },
  },
  inPeriod: { callsRaised: 1, assignmentsFellOverdue: 2 },
  redTasks: [
    { no: 7, title: '完善指挥协调机制', leadUnitNames: ['县司法局', '县委编办'], deadlineText: '2021年5月底前' },
  ],
  overdueUnits: [{ unitId: 'finance', unitName: '县财政局', overdue: 2 }],
  ranking: [
    {
      rank: 1,
      unitId: 'approval',
      unitName: '县审批局',
      total: 2,
      approved: 1,
      approvedOnTime: 1,
      onTimeRate: 1,
      overdue: 0,
      red: 0,
    },
    {
      rank: 2,
      unitId: 'finance',
      unitName: '县财政局',
      total: 2,
      approved: 0,
      approvedOnTime: 0,
      onTimeRate: null,
      overdue: 2,
      red: 2,
    },
  ],
  calls: [
    {
      rank: 1,
      unitId: 'housing',
      unitName: '县住建局',
      received: 3,
      responded: 2,
      responseRate: 2 / 3,
      onTimeResponseRate: 1 / 3,
      resolutionRate: 2 / 3,
      satisfactionRate: 1,
      reworkCount: 0,
    },
  ],
  flagged: [
    {
      escalationId: 'e1',
      subjectType: 'assignment',
      subject: '完善指挥协调机制',
      unitName: '县财政局',
      reason: '逾期未完成',
      createdAt: '2026-11-20T02:00:00.000Z',
      handled: false,
      instructions: [
        {
          authorName: '县领导',
          authorUnitName: '县领导',
          body: '请财政局本周内办结 & 报告',
          createdAt: '2026-11-21T02:00:00.000Z',
        },
      ],
    },
  ],
};

async function documentXml(value: BulletinContent): Promise<string> {
  const bytes = await writeBulletin(value);
  // A .docx is a zip; its first bytes are the local file header.
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  return strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']);
}

const texts = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n');

describe('writeBulletin', () => {
  it('writes an A4 document with the title, 期号 and Chinese fonts', async () => {
    const xml = await documentXml(content);
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    const text = texts(xml);
    expect(text).toContain('平罗县改革任务督查通报（2026年11月）');
    expect(text).toContain('2026年第11期');
    expect(text).toContain('县委督查室\u30002026年12月1日');
  });

  it('has the six sections in order, with the figures, tables and the 批示', async () => {
    const text = texts(await documentXml(content));
    const headings = [
      '一、总体情况',
      '二、红灯任务',
      '三、逾期单位',
      '四、单位排名',
      '五、乡呼县应情况',
      '六、挂牌督办事项',
    ];
    const positions = headings.map((heading) => text.indexOf(heading));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('全县共有改革任务 4 项，其中推进中 3 项、已销号 1 项；绿灯 2 项、黄灯 1 项、红灯 1 项。');
    expect(text).toContain('按时完成率 50.0%；当前逾期未完成 2 项，本期新增逾期 2 项');
    expect(text).toContain('满意率 66.7%；本期新收到呼叫 1 件');
    expect(text).toContain('县司法局、县委编办');
    expect(text).toContain('县财政局（2 项）');
    // XML-escaped in the file, as Word stores it.
    expect(text).toContain('请财政局本周内办结 &amp; 报告');
  });

  it('says so when a section has nothing to report', async () => {
    const text = texts(
      await documentXml({ ...content, redTasks: [], overdueUnits: [], ranking: [], calls: [], flagged: [] }),
    );
    for (const line of [
      '目前没有亮红灯的任务。',
      '目前没有逾期未完成承办事项的单位。',
      '暂无承办事项。',
      '暂无乡呼县应呼叫。',
      '本期没有挂牌督办事项。',
    ])
      expect(text).toContain(line);
    expect(text).toContain('按时完成率 50.0%');
  });
});
