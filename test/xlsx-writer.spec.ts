import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LedgerRow, writeLedgerXlsx, writeUnitRankingXlsx } from '@county/reports';
import { readXlsx, records } from './support/xlsx';

/** Collects what is written (small files) or only counts it (the 100k-row file). */
class Sink extends Writable {
  bytes = 0;
  private readonly chunks: Buffer[] = [];
  constructor(private readonly keep: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    if (this.keep) this.chunks.push(chunk);
    // The next tick, like a socket: gives the writer's backpressure something to wait for.
    setImmediate(done);
  }
  content(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

function* ledgerRows(count: number): Generator<LedgerRow> {
  for (let index = 0; index < count; index += 1) {
    yield {
      taskNo: (index % 16) + 1,
      taskTitle: `完善指挥协调机制第${index % 16}项`,
      leadUnitNames: ['县司法局', '县委编办'],
      unitName: `单位${index % 60}`,
      role: index % 7 === 0 ? 'lead' : 'responsible',
      deadlineText: '2027年6月底前',
      dueAt: '2027-06-30T15:59:59.000Z',
      status: index % 3 === 0 ? 'approved' : 'in-progress',
      light: ['green', 'yellow', 'red'][index % 3],
      progressPercent: index % 101,
      // A distinct text per row: the worst case for the shared-string table.
      latestReport: { text: `已完成第${index}项整改，正在推进后续工作`, at: '2027-03-01T02:00:00.000Z' },
      evidenceFiles: index % 4,
    };
  }
}

const document = { title: '任务台账', filters: ['单位：县财政局'], madeAt: new Date('2027-03-02T01:30:00Z') };

describe('the streamed .xlsx writer', () => {
  it('writes a title row with filters and time, a frozen header repeated when printed, A4 landscape', async () => {
    const sink = new Sink(true);
    const counts = await writeLedgerXlsx(sink, document, ledgerRows(3));
    expect(counts).toEqual([3]);
    const file = readXlsx(sink.content());
    const [sheet] = file.sheets;
    expect(sheet.name).toBe('任务台账');
    expect(sheet.rows[0][0]).toBe('任务台账（筛选：单位：县财政局；导出时间：2027-03-02 09:30）');
    expect(sheet.rows[1]).toEqual([
      '序号',
      '主要任务',
      '牵头单位',
      '责任单位',
      '时限',
      '状态',
      '灯色',
      '进展',
      '最近报告',
      '佐证数',
    ]);
    expect(records(sheet)[0]).toEqual({
      序号: 1,
      主要任务: '完善指挥协调机制第0项',
      牵头单位: '县司法局、县委编办',
      责任单位: '单位0（牵头）',
      时限: '2027年6月底前（2027-06-30）',
      状态: '已审核通过',
      灯色: '正常',
      进展: '0%',
      最近报告: '已完成第0项整改，正在推进后续工作（2027-03-01）',
      佐证数: 0,
    });
    expect(sheet.xml).toMatch(/<pageSetup[^>]*paperSize="9"[^>]*orientation="landscape"/);
    expect(sheet.xml).toMatch(/<pane[^>]*ySplit="2"[^>]*state="frozen"/);
    expect(sheet.xml).toContain('<mergeCell ref="A1:J1"/>');
    expect(file.workbook).toMatch(
      /<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;任务台账&apos;!\$2:\$2<\/definedName>/,
    );
    expect(file.entries).toEqual(expect.arrayContaining(['xl/sharedStrings.xml', 'xl/styles.xml']));
  });

  it('writes rates as numbers with a percent format and empty cells for none', async () => {
    const sink = new Sink(true);
    await writeUnitRankingXlsx(sink, { ...document, title: '单位排名', filters: [] }, [
      {
        rank: 1,
        unitName: '县财政局',
        total: 2,
        approved: 1,
        approvedOnTime: 1,
        onTimeRate: 1,
        overdue: 0,
        open: { green: 1, yellow: 0, red: 0 },
      },
      {
        rank: 2,
        unitName: '县民政局',
        total: 1,
        approved: 0,
        approvedOnTime: 0,
        onTimeRate: null,
        overdue: 1,
        open: { green: 0, yellow: 0, red: 1 },
      },
    ]);
    const [sheet] = readXlsx(sink.content()).sheets;
    expect(sheet.rows[0][0]).toContain('单位排名（筛选：全部；');
    expect(records(sheet).map((row) => [row['单位'], row['按时率'], row['在办·逾期']])).toEqual([
      ['县财政局', 1, 0],
      ['县民政局', null, 1],
    ]);
  });

  it('streams 100,000 rows without holding them: the live heap grows by less than 100 MB', async () => {
    // A collection before each sample, so what is measured is what the writer keeps, not garbage not yet swept.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const sink = new Sink(false);
    gc();
    const before = process.memoryUsage().heapUsed;
    const samples: number[] = [];
    function* sampled(): Generator<LedgerRow> {
      let index = 0;
      for (const row of ledgerRows(100_000)) {
        if (++index % 20_000 === 0) {
          gc();
          samples.push(process.memoryUsage().heapUsed - before);
        }
        yield row;
      }
    }
    const started = Date.now();
    const counts = await writeLedgerXlsx(sink, document, sampled());
    expect(counts).toEqual([100_000]);
    const seconds = (Date.now() - started) / 1000;
    const megabytes = samples.map((bytes) => (bytes / 1024 / 1024).toFixed(1));
    // Measured, for the report and BENCHMARKS.md.
    console.log(
      `xlsx writer: 100000 rows, ${(sink.bytes / 1024 / 1024).toFixed(1)} MB file, ${seconds.toFixed(1)} s ` +
        `(${Math.round(100_000 / seconds)} rows/s), live heap after 20k/40k/…/100k rows: +${megabytes.join(', +')} MB`,
    );
    expect(sink.bytes).toBeGreaterThan(1_000_000);
    expect(Math.max(...samples)).toBeLessThan(100 * 1024 * 1024);
  }, 180_000);
});
