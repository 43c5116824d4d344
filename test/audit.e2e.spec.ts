import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { APP_DATABASE_ROLE } from '@county/persistence';
import { request, useStack } from '@county/test-kit';

async function withDatabase<T>(options: { role?: string }, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    connectionString: process.env.DATABASE_URL,
    ...(options.role ? { options: `-c role=${options.role}` } : {}),
  });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

interface Verification {
  ok: boolean;
  length: number;
  headHash: string;
  firstBrokenSeq?: number;
}

describe('the audit log', () => {
  const stack = useStack({ users: ['supervisor'] });

  const verify = async () =>
    (await request<Verification>(stack.baseUrl, 'GET', '/audit/verify', { token: stack.token('supervisor') })).body;

  it('records a plan import with its actor, and the chain verifies', async () => {
    const form = new FormData();
    const seed = readFileSync(path.resolve(__dirname, '../seeds/pingluo-2021-grassroots-reform-task-list.txt'));
    form.append('file', new Blob([seed, `\n\n\n${Date.now()}`.replace(/\d/g, '\n')]), 'audit.txt');
    const imported = await fetch(`${stack.baseUrl}/plans`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${stack.token('supervisor')}` },
    });
    expect(imported.status).toBe(201);
    const plan = (await imported.json()) as { id: string };

    const events = await request<{ items: Array<Record<string, unknown>> }>(
      stack.baseUrl,
      'GET',
      `/audit?subjectType=plan&subjectId=${plan.id}`,
      {
        token: stack.token('supervisor'),
      },
    );
    expect(events.status).toBe(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({
      action: 'plan.imported',
      actorUnitId: 'supervision',
      subjectType: 'plan',
      subjectId: plan.id,
      payload: expect.objectContaining({ tasks: 16, sourceFilename: 'audit.txt' }),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const verification = await verify();
    expect(verification).toMatchObject({ ok: true });
    expect(verification.length).toBeGreaterThanOrEqual(1);
  });

  it('cannot be updated or deleted by the application role', async () => {
    await withDatabase({ role: APP_DATABASE_ROLE }, async (client) => {
      await expect(client.query(`UPDATE audit_events SET action = 'forged' WHERE seq = 1`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(client.query(`DELETE FROM audit_events WHERE seq = 1`)).rejects.toThrow(/permission denied/);
      await expect(client.query(`TRUNCATE audit_events`)).rejects.toThrow(/permission denied/);
      expect((await client.query('SELECT count(*) FROM audit_events')).rows[0].count).not.toBe('0');
    });
  });

  it('reports the first broken link after a superuser alters a row, and intact again once it is restored', async () => {
    const before = await verify();
    expect(before.ok).toBe(true);
    const seq = 1;
    await withDatabase({}, async (client) => {
      const { rows } = await client.query('SELECT payload FROM audit_events WHERE seq = $1', [seq]);
      try {
        await client.query(`UPDATE audit_events SET payload = payload || '{"tampered": true}' WHERE seq = $1`, [seq]);
        expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: seq });
      } finally {
        await client.query('UPDATE audit_events SET payload = $2 WHERE seq = $1', [seq, rows[0].payload]);
      }
    });
    expect(await verify()).toEqual(before);
  });

  it('is open to supervisors and admins only', async () => {
    expect(
      (await request(stack.baseUrl, 'GET', '/audit/verify', { token: await stack.login('approval.head') })).status,
    ).toBe(403);
    expect((await request(stack.baseUrl, 'GET', '/audit/verify', { token: await stack.login('admin') })).status).toBe(
      200,
    );
    expect(
      (await request(stack.baseUrl, 'GET', '/audit?limit=100000', { token: stack.token('supervisor') })).status,
    ).toBe(400);
  });
});
