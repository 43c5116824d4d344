import { randomUUID } from 'node:crypto';
import { ownDatabase, queryRows, useStack } from '@county/test-kit';

interface Page {
  items: Array<Record<string, unknown>>;
  calls?: Array<Record<string, unknown>>;
  nextCursor: string | null;
  total?: number;
}

const SMALL = 4;
const cursorOf = (values: unknown) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

/**
 * Cursor pagination on the lists (issue 17): walking a list page by page with a small limit gives exactly the
 * rows of one large page, in the same order, none twice and none missing — also with equal sort values (ties
 * broken by the id), missing due dates, and rows arriving between two pages. A forged, malformed or foreign
 * cursor and a page size outside 1–500 are a 400 problem+json that changes nothing.
 *
 * The rows are written straight into a database of the suite's own (the read model the lists read; no workflow
 * needs to run for a list to page), with many equal timestamps on purpose.
 */
describe('cursor pagination', () => {
  jest.setTimeout(120_000);
  const database = ownDatabase('paging');
  const stack = useStack({ databaseUrl: database.url, users: ['supervisor', 'finance.staff'] });
  afterAll(() => database.drop());
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    queryRows<T>(text, params, database.url);

  const planId = randomUUID();
  const taskIds: string[] = [];
  const assignmentIds: string[] = [];

  beforeAll(async () => {
    const [supervisor] = await sql<{ id: string }>(`SELECT id FROM users WHERE username = 'supervisor'`);
    await sql(
      `INSERT INTO plans (id, title, source_sha256, source_format, source_filename, imported_by)
       VALUES ($1, '分页测试清单', repeat('a', 64), 'txt', 'paging.txt', $2)`,
      [planId, supervisor.id],
    );
    // 15 tasks: three share a due date and a light, two have none (ongoing), lights mixed.
    const day = (n: number) => new Date(Date.UTC(2030, 0, 1 + n)).toISOString();
    for (let no = 1; no <= 15; no += 1) {
      const dueAt = no <= 2 ? null : day(no % 5);
      const light = ['green', 'yellow', 'red'][no % 3];
      const [task] = await sql<{ id: string }>(
        `INSERT INTO tasks (plan_id, no, title, measures, goals, lead_unit_ids, all_townships, related_departments,
                            deadline_text, deadline_kind, due_at, status, light)
         VALUES ($1, $2, $3, '{}', '{}', '{justice}', false, false, '2030年', 'date', $4, 'in-progress', $5)
         RETURNING id`,
        [planId, no, `分页任务${no}`, dueAt, light],
      );
      taskIds.push(task.id);
      const [assignment] = await sql<{ id: string }>(
        `INSERT INTO assignments (task_id, unit_id, role, status, due_at, light)
         VALUES ($1, 'finance', 'responsible', 'assigned', $2, $3) RETURNING id`,
        [task.id, dueAt, light],
      );
      assignmentIds.push(assignment.id);
    }
    // 13 calls to finance, raised in three instants (ties on raised_at), urgency and due dates mixed.
    for (let index = 0; index < 13; index += 1) {
      const at = new Date(Date.UTC(2030, 1, 1, 8, index % 3)).toISOString();
      await sql(
        `INSERT INTO calls (id, from_unit_id, to_unit_id, subject, description, urgency, status, raised_by, raised_at,
                            assigned_at, respond_due_at, light)
         VALUES ($1, 'chengguan', 'finance', $2, '分页测试', $3, 'raised', $4, $5, $5, $6, $7)`,
        [
          randomUUID(),
          `分页呼叫${index}`,
          index % 2 ? 'urgent' : 'normal',
          supervisor.id,
          at,
          index % 4 ? at : null,
          ['green', 'red'][index % 2],
        ],
      );
    }
    // 14 notifications to finance, created in two instants (ties on created_at).
    for (let index = 0; index < 14; index += 1) {
      await sql(
        `INSERT INTO notifications (recipient_unit_id, kind, subject_type, subject_id, title, body, dedupe_key, created_at)
         VALUES ('finance', 'deadline-reminder', 'assignment', $1, $2, '', $3, $4)`,
        [
          assignmentIds[index],
          `分页通知${index}`,
          `paging:${index}`,
          new Date(Date.UTC(2030, 2, 1, 8, index % 2)).toISOString(),
        ],
      );
    }
    // Audit events through the API (the chain must stay whole): 9 催办 of one assignment.
    for (let index = 0; index < 9; index += 1) {
      const urged = await stack.as('supervisor', 'POST', '/urges', {
        assignmentIds: [assignmentIds[0]],
        text: `请尽快办理（第${index + 1}次）`,
      });
      expect(urged.status).toBe(201);
    }
  });

  /** Every page of `path` with `limit`, following nextCursor; `between` runs after the first page. */
  async function walk(who: string, path: string, limit: number, between?: () => Promise<void>) {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const url: string = `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response: { status: number; body: Page } = await stack.as<Page>(who, 'GET', url);
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      expect(response.body.items.length).toBeLessThanOrEqual(limit);
      pages.push(response.body);
      cursor = response.body.nextCursor;
      if (pages.length === 1 && between) await between();
      expect(pages.length).toBeLessThan(200);
    } while (cursor !== null);
    return pages;
  }

  async function whole(who: string, path: string) {
    const separator = path.includes('?') ? '&' : '?';
    const response = await stack.as<Page>(who, 'GET', `${path}${separator}limit=500`);
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    return response.body;
  }

  const cases: Array<{ name: string; who: string; path: () => string; key: (row: Record<string, unknown>) => string }> =
    [
      { name: 'tasks', who: 'supervisor', path: () => `/tasks?planId=${planId}`, key: (row) => String(row.id) },
      {
        name: 'the inbox',
        who: 'finance.staff',
        path: () => '/inbox',
        key: (row) => `${String(row.kind)}:${String(row.taskId)}:${String(row.assignmentId)}`,
      },
      { name: 'calls', who: 'supervisor', path: () => '/calls?toUnitId=finance', key: (row) => String(row.id) },
      { name: 'notifications', who: 'finance.staff', path: () => '/notifications', key: (row) => String(row.id) },
      {
        name: 'audit',
        who: 'supervisor',
        path: () => `/audit?subjectType=assignment&subjectId=${assignmentIds[0]}`,
        key: (row) => String(row.seq),
      },
    ];

  it.each(cases)('walks $name page by page: the rows of one large page, in order, none twice', async (list) => {
    const all = await whole(list.who, list.path());
    expect(all.items.length).toBeGreaterThan(SMALL * 2);
    const pages = await walk(list.who, list.path(), SMALL);
    expect(pages.length).toBe(Math.ceil(all.items.length / SMALL));
    expect(pages.flatMap((page) => page.items).map(list.key)).toEqual(all.items.map(list.key));
    if (all.total !== undefined) {
      expect(pages.map((page) => page.total)).toEqual(pages.map(() => all.total));
      expect(all.total).toBe(all.items.length);
    }
  });

  it('pages the inbox’s calls with the same cursor, in their order', async () => {
    const all = await whole('finance.staff', '/inbox');
    expect(all.calls!.length).toBe(13);
    const pages = await walk('finance.staff', '/inbox', SMALL);
    // Both lists go on until the longer one ends; an ended list answers no rows.
    expect(pages.length).toBe(Math.ceil(Math.max(all.items.length, all.calls!.length) / SMALL));
    expect(pages.flatMap((page) => page.calls!).map((call) => call.callId)).toEqual(
      all.calls!.map((call) => call.callId),
    );
  });

  it('rows arriving between two pages cause no duplicates and no gaps among the rows that were there', async () => {
    const before = (await whole('finance.staff', '/notifications')).items.map((row) => row.id);
    const pages = await walk('finance.staff', '/notifications', SMALL, async () => {
      // One newer than every row (it sorts before the cursor) and one tied with the oldest.
      for (const [index, at] of [new Date(Date.UTC(2031, 0, 1)), new Date(Date.UTC(2030, 2, 1, 8, 0))].entries()) {
        await sql(
          `INSERT INTO notifications (recipient_unit_id, kind, subject_type, subject_id, title, body, dedupe_key, created_at)
           VALUES ('finance', 'deadline-reminder', 'assignment', $1, '插入的通知', '', $2, $3)`,
          [assignmentIds[1], `paging:between:${index}:${randomUUID()}`, at.toISOString()],
        );
      }
    });
    const seen = pages.flatMap((page) => page.items).map((row) => String(row.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);

    const tasksBefore = (await whole('supervisor', `/tasks?planId=${planId}`)).items.map((row) => row.id);
    const taskPages = await walk('supervisor', `/tasks?planId=${planId}`, SMALL, async () => {
      await sql(
        `INSERT INTO tasks (plan_id, no, title, measures, goals, lead_unit_ids, all_townships, related_departments,
                            deadline_text, deadline_kind, status)
         VALUES ($1, 100, '插入的任务', '{}', '{}', '{justice}', false, false, '长期坚持', 'ongoing', 'in-progress')`,
        [planId],
      );
    });
    const tasksSeen = taskPages.flatMap((page) => page.items).map((row) => String(row.id));
    expect(new Set(tasksSeen).size).toBe(tasksSeen.length);
    // The new task (序号 100) sorts after the cursor, so the walk meets it at the end.
    expect(tasksSeen).toEqual([...tasksBefore, expect.any(String)]);
  });

  it('refuses a malformed, forged or foreign cursor and a page size outside 1–500 with 400, never 500', async () => {
    const forged: Array<[string, string]> = [
      ['/tasks', 'not a cursor!'],
      ['/tasks', cursorOf({ planId })],
      ['/tasks', cursorOf([planId, 1])],
      ['/tasks', cursorOf([planId, 'one', randomUUID()])],
      ['/tasks', cursorOf(['not-a-uuid', 1, randomUUID()])],
      ['/tasks', cursorOf([planId, 1e30, randomUUID()])],
      ['/calls', cursorOf(['2030-02-01', randomUUID()])],
      ['/calls', cursorOf(['2030-02-30T08:00:00.000000', randomUUID()])],
      ['/notifications', cursorOf([null, randomUUID()])],
      ['/audit', cursorOf([-1.5])],
      ['/inbox', cursorOf([['x'], 'end'])],
      ['/inbox', cursorOf([null, null])],
      ['/escalations', 'AAAA'],
      ['/units', Buffer.from('["a"').toString('base64url')],
      [`/tasks/${taskIds[0]}/comments`, cursorOf(['2030-01-01T00:00:00.000000', 'x'])],
      // A cursor of another list: the calls list's key is not the tasks list's.
      ['/tasks', cursorOf(['2030-02-01T08:00:00.000000', randomUUID()])],
      ['/tasks', 'x'.repeat(5000)],
    ];
    const outcomes: string[] = [];
    for (const [path, cursor] of forged) {
      const response = await stack.as<Record<string, unknown>>(
        'supervisor',
        'GET',
        `${path}?cursor=${encodeURIComponent(cursor)}`,
      );
      outcomes.push(
        `${path} ${cursor.slice(0, 40)}: ${response.status} ${String(response.body.code)} ${response.headers.get('content-type')?.split(';')[0]}`,
      );
    }
    expect(outcomes).toEqual(
      forged.map(([path, cursor]) => `${path} ${cursor.slice(0, 40)}: 400 VALIDATION_FAILED application/problem+json`),
    );
    for (const path of ['/tasks', '/inbox', '/calls', '/notifications', '/audit']) {
      for (const limit of ['0', '501', '100000']) {
        const response = await stack.as<Record<string, unknown>>('supervisor', 'GET', `${path}?limit=${limit}`);
        expect(`${path}?limit=${limit}: ${response.status}`).toBe(`${path}?limit=${limit}: 400`);
      }
    }
  });
});
