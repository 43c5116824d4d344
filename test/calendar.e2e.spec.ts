import { request, useStack } from '@county/test-kit';

describe('calendar over HTTP', () => {
  const stack = useStack({ users: ['chengguan.staff', 'admin'] });

  const workdays = (from: string, n: number) =>
    request<{ at: string; date: string; calendarVersion: string; code?: string; year?: number }>(
      stack.baseUrl,
      'GET',
      `/calendar/workdays?from=${encodeURIComponent(from)}&n=${n}`,
      { token: stack.token('chengguan.staff') },
    );

  it('adds working days across the 2021 Labour Day holiday and make-up Saturday', async () => {
    const afterFriday = await workdays('2021-04-30T09:30:00+08:00', 1);
    expect(afterFriday.status).toBe(200);
    expect(afterFriday.body).toMatchObject({ at: '2021-05-06T01:30:00.000Z', date: '2021-05-06' });
    expect((await workdays('2021-05-07', 1)).body.date).toBe('2021-05-08');
  });

  it('applies the seeded Ningxia overrides: 3 working days after 2021-05-12 is 2021-05-19', async () => {
    const response = await workdays('2021-05-12', 3);
    expect(response.body.date).toBe('2021-05-19');
    expect(response.body.calendarVersion).toMatch(/^chinese-days@1\.5\.7(\+years:[\d,]+)?\+overrides:4:/);
  });

  it('answers 422 CALENDAR_YEAR_NOT_COVERED for 2030', async () => {
    const response = await workdays('2030-03-01', 1);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'CALENDAR_YEAR_NOT_COVERED', year: 2030 });
  });

  it('rejects a malformed query with 400', async () => {
    expect((await workdays('yesterday', 1)).status).toBe(400);
    expect((await workdays('2021-05-12', -1)).status).toBe(400);
  });

  it('lets an admin replace the overrides (and only an admin), changing the answers at once', async () => {
    const original = await request<{ overrides: unknown[] }>(stack.baseUrl, 'GET', '/calendar/overrides', {
      token: stack.token('chengguan.staff'),
    });
    expect(original.status).toBe(200);
    expect(original.body.overrides).toHaveLength(4);
    try {
      const body = { overrides: [{ date: '2021-05-17', kind: 'holiday', reason: '测试' }] };
      const forbidden = await request(stack.baseUrl, 'PUT', '/calendar/overrides', {
        token: await stack.login('supervisor'),
        body,
      });
      expect(forbidden.status).toBe(403);
      expect(
        (await request(stack.baseUrl, 'PUT', '/calendar/overrides', { token: stack.token('admin'), body })).status,
      ).toBe(200);
      // Without the Ningxia days but with 05-17 off: 05-13, 05-14, 05-18.
      expect((await workdays('2021-05-12', 3)).body.date).toBe('2021-05-18');

      const invalid = await request(stack.baseUrl, 'PUT', '/calendar/overrides', {
        token: stack.token('admin'),
        body: { overrides: [{ date: '2021-02-30', kind: 'holiday', reason: 'x' }] },
      });
      expect(invalid.status).toBe(400);
      const badKind = await request(stack.baseUrl, 'PUT', '/calendar/overrides', {
        token: stack.token('admin'),
        body: { overrides: [{ date: '2021-02-03', kind: 'weekend', reason: 'x' }] },
      });
      expect(badKind.status).toBe(400);
      expect(badKind.body.detail).toContain('kind');
    } finally {
      const restored = await request(stack.baseUrl, 'PUT', '/calendar/overrides', {
        token: stack.token('admin'),
        body: { overrides: original.body.overrides },
      });
      expect(restored.status).toBe(200);
    }
    expect((await workdays('2021-05-12', 3)).body.date).toBe('2021-05-19');
  });

  it('lets an admin load a new year from its notice and mark it complete, after which it is covered', async () => {
    // 2099 stands in for "next year": no other test relies on it being uncovered.
    expect((await workdays('2099-01-02', 1)).status).toBe(422);
    const original = await request<{ overrides: Array<Record<string, string>> }>(
      stack.baseUrl,
      'GET',
      '/calendar/overrides',
      { token: stack.token('admin') },
    );
    try {
      const withNewYear = [...original.body.overrides, { date: '2099-01-05', kind: 'holiday', reason: '测试假日' }];
      expect(
        (
          await request(stack.baseUrl, 'PUT', '/calendar/overrides', {
            token: stack.token('admin'),
            body: { overrides: withNewYear },
          })
        ).status,
      ).toBe(200);
      const notice = { notice: '国务院办公厅关于2099年部分节假日安排的通知（测试）' };
      expect(
        (
          await request(stack.baseUrl, 'PUT', '/calendar/years/2099', {
            token: await stack.login('supervisor'),
            body: notice,
          })
        ).status,
      ).toBe(403);
      const completed = await request<Array<{ year: number }>>(stack.baseUrl, 'PUT', '/calendar/years/2099', {
        token: stack.token('admin'),
        body: notice,
      });
      expect(completed.status).toBe(200);
      expect(completed.body.map((year) => year.year)).toContain(2099);
      // Friday 2099-01-02 + 1 working day: Monday 01-05 is the loaded holiday, so Tuesday 01-06.
      const answer = await workdays('2099-01-02', 1);
      expect(answer.status).toBe(200);
      expect(answer.body.date).toBe('2099-01-06');
      expect(answer.body.calendarVersion).toContain('+years:2099');
    } finally {
      await request(stack.baseUrl, 'PUT', '/calendar/overrides', {
        token: stack.token('admin'),
        body: { overrides: original.body.overrides },
      });
    }
  });
});
