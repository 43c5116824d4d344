import { createHash, randomUUID } from 'node:crypto';
import { ONE_TASK_LIST, queryRows, useStack, waitFor } from '@county/test-kit';
import { buildHostileDocx } from './support/hostile-docx';
import { FormPart, postForm, RawResponse } from './support/multipart';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A one-task list no other test imports (its title makes its bytes, and so its hash, unique). */
const uniqueList = () => Buffer.from(ONE_TASK_LIST.replace('测试任务清单', `测试任务清单 ${randomUUID()}`));

async function plansFrom(bytes: Uint8Array): Promise<number> {
  const [{ count }] = await queryRows<{ count: number }>(
    'SELECT count(*)::int AS count FROM plans WHERE source_sha256 = $1',
    [sha256(bytes)],
  );
  return count;
}

describe('Idempotency-Key: the request is what it says, and a repeat gets the same bytes', () => {
  const stack = useStack({ users: ['supervisor', 'admin'] });

  const importForm = (file: Buffer, fields: Record<string, string> = {}): FormPart[] => [
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', filename: 'plan.txt', bytes: file, contentType: 'text/plain' },
  ];
  const postPlan = (parts: FormPart[], key: string, boundary?: string) =>
    postForm(`${stack.baseUrl}/plans`, stack.token('supervisor'), parts, {
      boundary,
      headers: { 'idempotency-key': key },
    });

  it('replays an upload of the same file under another boundary and part order, byte for byte', async () => {
    const file = uniqueList();
    const key = `upload-${randomUUID()}`;
    const first = await postPlan(importForm(file, { year: '2027', allowNewUnits: 'false' }), key, 'first-boundary');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // Same fields in the other order, another boundary: the same request.
    const parts = importForm(file, { allowNewUnits: 'false', year: '2027' });
    const second = await postPlan([parts[2], parts[0], parts[1]], key, 'a-quite-different-boundary');
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expectSameBytes(second, first);
    expect(await plansFrom(file)).toBe(1);
  });

  it('refuses another file of the same length under the same key and boundary (422), storing nothing', async () => {
    const file = uniqueList();
    const other = Buffer.from(file.toString('utf8').replace('制定代办清单', '制定代办名单'));
    expect(other.length).toBe(file.length);
    const key = `upload-${randomUUID()}`;
    expect((await postPlan(importForm(file), key, 'fixed-boundary')).status).toBe(201);

    const reused = await postPlan(importForm(other), key, 'fixed-boundary');
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(reused.text)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await plansFrom(other)).toBe(0);
    // A changed field is a different request too.
    const changedField = await postPlan(importForm(file, { year: '2028' }), key, 'fixed-boundary');
    expect(changedField.status).toBe(422);
  });

  it('releases the key of a refused upload, so a corrected one can use it', async () => {
    const key = `upload-${randomUUID()}`;
    const broken = Buffer.from('标题\n\t序号\n');
    const refused = await postPlan(importForm(broken), key);
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'INVALID_DOCUMENT' });
    const again = await postPlan(importForm(broken), key);
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBeNull();

    const corrected = uniqueList();
    expect((await postPlan(importForm(corrected), key)).status).toBe(201);
    expect(await plansFrom(corrected)).toBe(1);
  });

  it('answers 409 to a repeat while the first is still running, and releases the key when the first fails', async () => {
    // About a second of parsing (in the parse worker) before this is refused for having no table.
    const slow = await buildHostileDocx({ inflatedMb: 12, unit: '<w:p><w:r><w:t>任务</w:t></w:r></w:p>' });
    const key = `slow-${randomUUID()}`;
    const parts: FormPart[] = [{ name: 'file', filename: 'slow.docx', bytes: slow }];
    const firstAnswer = postForm(`${stack.baseUrl}/plans`, stack.token('supervisor'), parts, {
      headers: { 'idempotency-key': key },
    });
    await waitFor(
      'the first request to claim its key',
      async () => (await queryRows('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).length > 0,
      10_000,
      10,
    );
    const concurrent = await postForm(`${stack.baseUrl}/plans`, stack.token('supervisor'), parts, {
      headers: { 'idempotency-key': key },
    });
    expect(concurrent.status).toBe(409);
    expect(JSON.parse(concurrent.text)).toMatchObject({ code: 'CONFLICT' });

    const first = await firstAnswer;
    expect(first.status).toBe(422);
    expect(await queryRows('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toEqual([]);
  });

  describe('JSON bodies', () => {
    let original: Array<Record<string, string>>;
    const replaced = async () =>
      (
        await queryRows<{ count: number }>(
          `SELECT count(*)::int AS count FROM audit_events WHERE action = 'calendar.overrides.replaced'`,
        )
      )[0].count;
    const put = async (body: string, key: string): Promise<RawResponse> => {
      const response = await fetch(`${stack.baseUrl}/calendar/overrides`, {
        method: 'PUT',
        body,
        headers: {
          authorization: `Bearer ${stack.token('admin')}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    };

    beforeAll(async () => {
      const response = await fetch(`${stack.baseUrl}/calendar/overrides`, {
        headers: { authorization: `Bearer ${stack.token('admin')}` },
      });
      original = ((await response.json()) as { overrides: Array<Record<string, string>> }).overrides;
      expect(original.length).toBeGreaterThan(1);
    });

    it('replays the same fields in another key order and spacing, byte for byte, acting once', async () => {
      const key = `calendar-${randomUUID()}`;
      const before = await replaced();
      const first = await put(JSON.stringify({ overrides: original }), key);
      expect(first.status).toBe(200);

      const reordered = original.map(({ date, kind, reason }) => ({ reason, kind, date }));
      const second = await put(`{\n  "overrides" :  ${JSON.stringify(reordered, null, 4)}\n}`, key);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expectSameBytes(second, first);
      expect(await replaced()).toBe(before + 1);
    });

    it('refuses different content under the same key with 422 and changes nothing', async () => {
      const key = `calendar-${randomUUID()}`;
      expect((await put(JSON.stringify({ overrides: original }), key)).status).toBe(200);
      const before = await replaced();
      const changed = original.map((override, index) => (index === 0 ? { ...override, reason: '改了' } : override));
      const reused = await put(JSON.stringify({ overrides: changed }), key);
      expect(reused.status).toBe(422);
      expect(JSON.parse(reused.text)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
      expect(await replaced()).toBe(before);
      // The same key on another route is another request as well.
      const elsewhere = await fetch(`${stack.baseUrl}/calendar/years/2099`, {
        method: 'PUT',
        body: JSON.stringify({ overrides: original }),
        headers: {
          authorization: `Bearer ${stack.token('admin')}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
      });
      expect(elsewhere.status).toBe(422);
    });
  });
});

function expectSameBytes(replay: RawResponse, first: RawResponse): void {
  expect(replay.status).toBe(first.status);
  expect(replay.headers.get('content-type')).toBe(first.headers.get('content-type'));
  expect(replay.text).toBe(first.text);
}
