import { performance } from 'node:perf_hooks';
import { login, RunningApi, startApi } from './support/api';
import { queryRows } from './support/db';
import { buildHostileDocx } from './support/hostile-docx';
import { FormPart, postFormFromAnotherProcess } from './support/multipart';

const HEALTH_BUDGET_MS = 300;
const POLL_EVERY_MS = 50;
/** Costly to read: every element is a paragraph the reader must open and close. */
const PARAGRAPH = '<w:p><w:r><w:t>测试任务清单内容</w:t></w:r></w:p>';

const plansCount = async () =>
  (await queryRows<{ count: number }>('SELECT count(*)::int AS count FROM plans'))[0].count;
const problemOf = (text: string) => JSON.parse(text) as { status: number; code: string; detail: string };

describe('uploads the API cannot be made to choke on', () => {
  let api: RunningApi;
  let supervisor: string;
  let idle: number[];

  beforeAll(async () => {
    api = await startApi();
    supervisor = await login(api.baseUrl, 'supervisor');
    // The first health check opens the Temporal connection; that is start-up, not what is measured here.
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
    // What /health takes on this machine with nothing else going on, printed beside the figures under load.
    idle = (await healthWhile(new Promise((resolve) => setTimeout(resolve, 500)))).latencies;
  });
  afterAll(() => api?.close());

  const fileNamed = (filename: string, bytes: Uint8Array): FormPart => ({ name: 'file', filename, bytes });

  /** Polls /health every 50 ms while `work` runs; returns each answer's latency. */
  async function healthWhile<T>(work: Promise<T>): Promise<{ result: T; latencies: number[] }> {
    const latencies: number[] = [];
    let done = false;
    const polling = (async () => {
      while (!done) {
        const started = performance.now();
        const response = await fetch(`${api.baseUrl}/health`);
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        expect(response.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
      }
    })();
    try {
      return { result: await work, latencies };
    } finally {
      done = true;
      await polling;
    }
  }

  it.each([
    [
      'claims 4 KB, inflates to 600 MB',
      { inflatedMb: 600, totalMb: 10, claimedSize: 4096 },
      /unpacks to more than 32 MB/,
    ],
    [
      'claims 30 MB, inflates to 600 MB',
      { inflatedMb: 600, totalMb: 10, claimedSize: 30 * 1024 * 1024 },
      /unpacks to more than 32 MB/,
    ],
    ['is 100 KB and unpacks to 31 MB of paragraphs', { inflatedMb: 31, unit: PARAGRAPH }, /has no table/],
  ])('keeps /health under 300 ms while refusing a .docx that %s', async (what, shape, reason) => {
    const hostile = await buildHostileDocx(shape);
    const before = await plansCount();
    const { result, latencies } = await healthWhile(
      postFormFromAnotherProcess(`${api.baseUrl}/plans/preview`, supervisor, [fileNamed('hostile.docx', hostile)]),
    );

    expect(result.status).toBe(422);
    expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problemOf(result.text)).toMatchObject({ code: 'INVALID_DOCUMENT', detail: expect.stringMatching(reason) });
    expect(await plansCount()).toBe(before);

    const worst = Math.max(...latencies);
    console.log(
      `/health during a ${(hostile.length / 1024 / 1024).toFixed(1)} MB .docx that ${what}: ` +
        `${latencies.length} answers, worst ${worst.toFixed(0)} ms (idle: worst ${Math.max(...idle).toFixed(0)} ms)`,
    );
    expect(latencies.length).toBeGreaterThan(0);
    expect(worst).toBeLessThan(HEALTH_BUDGET_MS);
  });
});
