import { Writable } from 'node:stream';
import { LedgerRow, writeLedgerXlsx } from '@county/reports';
import { Row, summarize } from './stats';

/** Where the API is and how to ask it (the bench's own HTTP wiring: base URL with /api/v1, fetch by default). */
export interface ExportHttp {
  baseUrl: string;
  fetch?: typeof fetch;
}

export interface ExportMeasureOptions {
  /** Downloads per export (default 5): each is a whole file, seconds at 100k rows, so p99 is the slowest of few. */
  runs?: number;
  /** The query of the ledger export (e.g. `planId=…` of the 100k generator's plan); default: everything. */
  ledgerQuery?: string;
}

/**
 * The .xlsx exports at bench size (issue 17, must show 3): each export downloaded `runs` times in a row as `token`
 * (a supervisor: every unit's rows), the whole body read; p50/p99 of the time to the last byte, and rows per second
 * for the ledger (the caller passes the rows it generated as `expectedRows`: a streamed file has no row count
 * until it is unzipped, which the bench should not time).
 * The merge calls this from bench/src/run.ts after the read-model generator has written its 100k assignments.
 */
export async function measureExports(
  http: ExportHttp,
  token: string,
  options: ExportMeasureOptions & { expectedRows?: number } = {},
): Promise<Row[]> {
  const get = http.fetch ?? fetch;
  const runs = options.runs ?? 5;
  const download = async (path: string) => {
    const started = performance.now();
    const response = await get(`${http.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    const bytes = (await response.arrayBuffer()).byteLength;
    return { ms: performance.now() - started, bytes };
  };
  const measure = async (path: string) => {
    const times: number[] = [];
    let bytes = 0;
    for (let run = 0; run < runs; run++) {
      const answer = await download(path);
      times.push(answer.ms);
      bytes = answer.bytes;
    }
    return { summary: summarize(times), bytes };
  };

  const ledgerPath = `/exports/ledger.xlsx${options.ledgerQuery ? `?${options.ledgerQuery}` : ''}`;
  const ledger = await measure(ledgerPath);
  const rows: Row[] = [
    {
      figure: 'export: ledger .xlsx p50',
      value: ledger.summary.p50,
      unit: 'ms',
      note: `${runs} downloads, ${(ledger.bytes / 1024 / 1024).toFixed(1)} MB`,
    },
    { figure: 'export: ledger .xlsx p99', value: ledger.summary.p99, unit: 'ms' },
  ];
  if (options.expectedRows) {
    // Baseline: the same number of rows through the writer alone, in this process, into a sink that drops the bytes —
    // what is left of the API's time is PostgreSQL, the joins and HTTP.
    const writer = await writeLedgerAlone(options.expectedRows);
    rows[0] = { ...rows[0], baseline: { name: `writer alone, ${options.expectedRows} rows`, value: writer } };
    rows.push({
      figure: 'export: ledger rows/s (p50)',
      value: options.expectedRows / (ledger.summary.p50 / 1000),
      unit: 'rows/s',
      note: `${options.expectedRows} rows`,
    });
  }
  for (const [name, path] of [
    ['unit ranking', '/exports/unit-ranking.xlsx'],
    ['call ledger', '/exports/calls.xlsx'],
    ['call figures', '/exports/call-units.xlsx'],
  ] as const) {
    const measured = await measure(path);
    rows.push({ figure: `export: ${name} .xlsx p50`, value: measured.summary.p50, unit: 'ms' });
    rows.push({ figure: `export: ${name} .xlsx p99`, value: measured.summary.p99, unit: 'ms' });
  }
  return rows;
}

/** Synthetic ledger rows shaped like the generator's: a distinct report per row, the shared strings' worst case. */
function* syntheticLedgerRows(count: number): Generator<LedgerRow> {
  for (let index = 0; index < count; index += 1) {
    yield {
      taskNo: (index % 1000) + 1,
      taskTitle: `推进基层综合行政执法改革第${index % 1000}项`,
      leadUnitNames: ['县司法局', '县委编办'],
      unitName: `单位${index % 60}`,
      role: index % 20 === 0 ? 'lead' : 'responsible',
      deadlineText: '2027年6月底前',
      dueAt: '2027-06-30T15:59:59.000Z',
      status: index % 3 === 0 ? 'approved' : 'in-progress',
      light: ['green', 'yellow', 'red'][index % 3],
      progressPercent: index % 101,
      latestReport: {
        text: `已召开专题会议研究部署第${index}项整改，正在推进后续工作`,
        at: '2027-03-01T02:00:00.000Z',
      },
      evidenceFiles: index % 4,
    };
  }
}

/** ms to write `count` ledger rows with the export's own writer into a sink that discards them. */
async function writeLedgerAlone(count: number): Promise<number> {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const started = performance.now();
  await writeLedgerXlsx(sink, { title: '任务台账', filters: [], madeAt: new Date() }, syntheticLedgerRows(count));
  return performance.now() - started;
}
