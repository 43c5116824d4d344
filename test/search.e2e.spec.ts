import { randomUUID } from 'node:crypto';
import { useStack, waitForCall } from '@county/test-kit';

interface Hit {
  kind: string;
  id: string;
  title: string;
  field: string;
  snippet: string;
  taskId: string | null;
  assignmentId: string | null;
  callId: string | null;
  planId: string | null;
  unitId: string | null;
  status: string;
  light: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface DoneItem {
  seq: number;
  action: string;
  actorName: string | null;
  actorUnitId: string | null;
  taskId: string | null;
  taskTitle: string | null;
  planTitle: string | null;
  assignmentId: string | null;
  unitId: string | null;
}
interface Problem {
  code: string;
  detail: string;
}

/*
 * Every suite of a run shares one database, so the words searched for are this run's own: a marker made of rare
 * characters, and a measure fragment no seed or test list has.
 */
const MARKER = `榫卯${randomUUID().slice(0, 6)}`;
const LIST = [
  `检索测试清单${MARKER}`,
  ...['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'].map((column) => `\t${column}`),
  '',
  '\t1',
  '\t完善村级代办服务机制',
  // 鸺鹠 (a two-character fragment of task 1's second measure, found nowhere else).
  '\t1.制定代办清单\n2.建立鸺鹠式巡查台账',
  '\t1.代办服务覆盖全部行政村',
  '\t县审批局',
  '\t县财政局、县民政局',
  '\t2027年6月底前',
  '',
  '\t2',
  '\t规范代办服务流程',
  '\t1.制定流程图\n2.鸺鹠巡查常态化',
  '\t1.流程公开',
  '\t县审批局',
  '\t县财政局',
  '\t2027年3月底前',
  '',
].join('\n');

/**
 * Search and 已办 (issue 17) against the real API, worker, Temporal and PostgreSQL with its pg_trgm indexes: Chinese
 * fragments of any length find tasks, reports and calls; filters narrow; cursors walk every hit once; a unit finds
 * only its own threads' reports and calls; 已办 lists what a person and a unit did, newest first.
 */
describe('search and 已办', () => {
  const stack = useStack({
    worker: true,
    plan: { text: LIST },
    users: [
      'supervisor',
      'approval.head',
      'finance.staff',
      'finance.head',
      'civil-affairs.staff',
      'chengguan.staff',
      'housing.staff',
      'market-regulation.staff',
    ],
  });
  const search = (who: string, query: Record<string, string | number>) =>
    stack.as<Page<Hit>>(who, 'GET', `/search?${new URLSearchParams(query as Record<string, string>).toString()}`);
  const taskOf = (no: number) => stack.plan.tasks.find((task) => task.no === no)!;
  const reportWord = `${MARKER}验收`;
  const callWord = `${MARKER}危房`;
  let callId = '';

  beforeAll(async () => {
    const finance = stack.assignmentOf('finance', 1).id;
    for (const [who, action, body] of [
      ['finance.staff', 'acknowledge', {}],
      ['finance.staff', 'progress', { note: `已完成${reportWord}前的自查，台账建立过半`, percent: 50 }],
      ['finance.staff', 'submit', { summary: '代办清单已制定并公开', evidence: [] }],
      ['approval.head', 'approve', { comment: '同意' }],
    ] as const) {
      const answer = await stack.assignments.act(who, finance, action, body);
      if (answer.status !== 200) throw new Error(`${action}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    const raised = await stack.calls.raise('chengguan.staff', 'housing', {
      subject: '农村危房改造鉴定',
      description: `某村两户${callWord}需住建部门现场认定，OA系统已登记`,
      urgency: 'normal',
    });
    expect(raised.status).toBe(201);
    callId = (raised.body as { id: string }).id;
    await waitForCall('the call in the read model', callId, (row) => row.respond_due_at !== null, 15_000);
  }, 120_000);

  it('finds a task by a two-character fragment of a measure (Must show 3), naming the field with a snippet', async () => {
    const found = await search('finance.staff', { q: '鸺鹠', kind: 'task', planId: stack.plan.id });
    expect(found.status).toBe(200);
    expect(found.body.items.map((hit) => hit.id).sort()).toEqual([taskOf(1).id, taskOf(2).id].sort());
    expect(found.body.items.find((hit) => hit.id === taskOf(1).id)).toMatchObject({
      kind: 'task',
      title: '完善村级代办服务机制',
      field: 'measures',
      snippet: expect.stringContaining('建立鸺鹠式巡查台账'),
      taskId: taskOf(1).id,
      planId: stack.plan.id,
    });
    // Without the plan filter, by any user (every user reads every task): still there.
    const everywhere = await walk('market-regulation.staff', { q: '鸺鹠', kind: 'task' });
    expect(everywhere.map((hit) => hit.id)).toEqual(expect.arrayContaining([taskOf(1).id, taskOf(2).id]));
    // A fragment of three or more characters (served by the trigram index) and a title word.
    const longer = await search('supervisor', { q: '鸺鹠式巡查', kind: 'task', planId: stack.plan.id });
    expect(longer.body.items.map((hit) => hit.id)).toEqual([taskOf(1).id]);
    const title = await search('supervisor', { q: '服务流程', kind: 'task', planId: stack.plan.id });
    expect(title.body.items).toEqual([expect.objectContaining({ id: taskOf(2).id, field: 'title' })]);
  });

  it('finds a report by a fragment of its note, for its unit, the lead unit and the supervision office only', async () => {
    const finance = stack.assignmentOf('finance', 1).id;
    for (const who of ['finance.staff', 'approval.head', 'supervisor']) {
      const found = await search(who, { q: reportWord.slice(-4), kind: 'report' });
      expect({ who, hits: found.body.items.filter((hit) => hit.assignmentId === finance) }).toEqual({
        who,
        hits: [
          expect.objectContaining({
            kind: 'report',
            field: 'note',
            title: '完善村级代办服务机制',
            snippet: expect.stringContaining(reportWord),
            taskId: taskOf(1).id,
            unitId: 'finance',
          }),
        ],
      });
    }
    // 县民政局 works on the same task, 县市场监管局 not at all: neither reads 县财政局's report.
    for (const who of ['civil-affairs.staff', 'market-regulation.staff']) {
      const found = await search(who, { q: reportWord, kind: 'report' });
      expect({ who, items: found.body.items }).toEqual({ who, items: [] });
    }
  });

  it('finds a call by its description, for its two units and the supervision office only', async () => {
    for (const who of ['chengguan.staff', 'housing.staff', 'supervisor']) {
      const found = await search(who, { q: callWord });
      expect({ who, items: found.body.items }).toEqual({
        who,
        items: [
          expect.objectContaining({
            kind: 'call',
            id: callId,
            callId,
            field: 'description',
            title: '农村危房改造鉴定',
            snippet: `某村两户${callWord}需住建部门现场认定，OA系统已登记`,
            unitId: 'housing',
          }),
        ],
      });
    }
    // Letters match whatever their case (ILIKE); words without letters use LIKE, which finds the same.
    const cased = await search('supervisor', { q: `${callWord.slice(-4)}需住建部门现场认定，oa系统` });
    expect(cased.body.items.map((hit) => hit.id)).toEqual([callId]);
    for (const who of ['market-regulation.staff', 'finance.staff']) {
      const found = await search(who, { q: callWord });
      expect({ who, items: found.body.items }).toEqual({ who, items: [] });
    }
  });

  it('filters by plan, unit, status, light and due range narrow the hits; GET /tasks and /calls filter the same way', async () => {
    const ids = async (query: Record<string, string>) =>
      (await search('supervisor', { q: '鸺鹠', kind: 'task', planId: stack.plan.id, ...query })).body.items
        .map((hit) => hit.id)
        .sort();
    const both = [taskOf(1).id, taskOf(2).id].sort();
    expect(await ids({})).toEqual(both);
    expect(await ids({ unitId: 'civil-affairs' })).toEqual([taskOf(1).id]);
    expect(await ids({ unitId: 'housing' })).toEqual([]);
    expect(await ids({ dueTo: '2027-04-30' })).toEqual([taskOf(2).id]);
    expect(await ids({ dueFrom: '2027-06-30', dueTo: '2027-06-30' })).toEqual([taskOf(1).id]);
    expect(await ids({ light: 'green' })).toEqual(both);
    expect(await ids({ light: 'red' })).toEqual([]);
    expect(await ids({ status: 'in-progress' })).toEqual(both);
    expect(await ids({ status: 'closed' })).toEqual([]);
    const otherPlan = await search('supervisor', { q: '鸺鹠', kind: 'task', planId: randomUUID() });
    expect(otherPlan.body.items).toEqual([]);
    // A report filtered by its unit and by its assignment's status (approved).
    const report = (query: Record<string, string>) =>
      search('supervisor', { q: reportWord, kind: 'report', ...query }).then((page) => page.body.items.length);
    expect(await report({ unitId: 'finance', status: 'approved' })).toBe(1);
    expect(await report({ unitId: 'civil-affairs' })).toBe(0);
    expect(await report({ status: 'in-progress' })).toBe(0);

    const tasks = await stack.as<{ items: Array<{ id: string }> }>(
      'supervisor',
      'GET',
      `/tasks?planId=${stack.plan.id}&dueFrom=2027-01-01&dueTo=2027-03-31`,
    );
    expect(tasks.body.items.map((task) => task.id)).toEqual([taskOf(2).id]);
    const today = new Date().toISOString().slice(0, 10);
    const calls = async (query: string) =>
      (await stack.as<{ items: Array<{ id: string }> }>('supervisor', 'GET', `/calls?${query}`)).body.items.map(
        (call) => call.id,
      );
    expect(await calls(`unitId=chengguan&raisedFrom=${today}`)).toContain(callId);
    expect(await calls(`unitId=housing&status=raised`)).toContain(callId);
    expect(await calls(`unitId=finance`)).not.toContain(callId);
    expect(await calls(`raisedTo=2020-01-01`)).not.toContain(callId);
  });

  it('pagination walks every hit of every kind once, in the order of one big page', async () => {
    const all = await search('supervisor', { q: MARKER, limit: 200 });
    expect(all.body.nextCursor).toBeNull();
    // The report (progress note) and the call hold the marker; task texts do not, but search by 代办 adds tasks.
    const mixed = { q: '代办' };
    const big = await search('supervisor', { ...mixed, limit: 200 });
    const walked = await walk('supervisor', mixed, 1);
    expect(walked.map((hit) => `${hit.kind}:${hit.id}`)).toEqual(big.body.items.map((hit) => `${hit.kind}:${hit.id}`));
    expect(new Set(walked.map((hit) => `${hit.kind}:${hit.id}`)).size).toBe(walked.length);
    expect(walked.length).toBeGreaterThanOrEqual(3);
    // Kinds come in a fixed order (tasks, reports, calls), each kind in its own order.
    const kinds = [...new Set(walked.map((hit) => hit.kind))];
    expect(kinds.slice(0, 2)).toEqual(['task', 'report']);
    const marked = await walk('supervisor', { q: MARKER }, 1);
    expect(marked.map((hit) => hit.kind)).toEqual(['report', 'call']);
  });

  it('refuses a search of only spaces, over 100 characters, or with a bad cursor or range (400 problem+json)', async () => {
    for (const query of [
      { q: '   ' },
      { q: '审'.repeat(101) },
      { q: '代办', cursor: 'not-a-cursor' },
      { q: '代办', cursor: Buffer.from('{"k":"task"}').toString('base64url') },
      { q: '代办', dueFrom: '2027-02-30' },
      { q: '代办', dueFrom: '2027-06-01', dueTo: '2027-05-01' },
      { q: '代办', kind: 'everything' },
      { q: '代办', limit: 201 },
    ]) {
      const answer = await stack.as<Problem>('finance.staff', 'GET', `/search?${new URLSearchParams(query as never)}`);
      expect({ query, status: answer.status, type: answer.headers.get('content-type') }).toEqual({
        query,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
    }
    const spaces = await stack.as<Problem>('finance.staff', 'GET', '/search?q=%20%20%20');
    expect(spaces.body.detail).toContain('不能为空或只有空格');
    const long = await stack.as<Problem>('finance.staff', 'GET', `/search?q=${encodeURIComponent('审'.repeat(101))}`);
    expect(long.body.detail).toContain('最多 100 个字');
    expect((await stack.as('finance.staff', 'GET', `/search?q=${encodeURIComponent('审'.repeat(100))}`)).status).toBe(
      200,
    );
  });

  it('已办 lists what I did and what my unit did, newest first, with what it acted on', async () => {
    const finance = stack.assignmentOf('finance', 1).id;
    const mine = (await stack.as<Page<DoneItem>>('finance.staff', 'GET', '/done?scope=me')).body.items.filter(
      (item) => item.assignmentId === finance,
    );
    expect(mine.map((item) => item.action)).toEqual([
      'assignment.submit',
      'assignment.progress',
      'assignment.acknowledge',
    ]);
    expect(mine[0]).toMatchObject({
      actorName: '县财政局工作人员',
      actorUnitId: 'finance',
      taskId: taskOf(1).id,
      taskTitle: '完善村级代办服务机制',
      planTitle: expect.stringContaining(MARKER),
      unitId: 'finance',
    });
    const approved = (await stack.as<Page<DoneItem>>('approval.head', 'GET', '/done?scope=me')).body.items.filter(
      (item) => item.assignmentId === finance,
    );
    expect(approved.map((item) => item.action)).toEqual(['assignment.approve']);
    // The unit's list: its head sees what its staff did; a person's own list never shows a colleague's.
    const unit = (await stack.as<Page<DoneItem>>('finance.head', 'GET', '/done?scope=unit')).body.items.filter(
      (item) => item.assignmentId === finance,
    );
    expect(unit.map((item) => item.action)).toEqual(mine.map((item) => item.action));
    const headOwn = (await stack.as<Page<DoneItem>>('finance.head', 'GET', '/done?scope=me')).body.items;
    expect(headOwn.filter((item) => item.assignmentId === finance)).toEqual([]);
    // The call the township raised is in its 已办.
    const township = (await stack.as<Page<DoneItem>>('chengguan.staff', 'GET', '/done')).body.items;
    expect(township).toContainEqual(expect.objectContaining({ action: 'call.raised', callId }));
    // Paged one by one: the same items in the same order as in pages of 200 (the run's database is shared: other
    // suites' 财政局 actions count too, so one page of 200 need not hold them all).
    const walkDone = async (limit: number): Promise<number[]> => {
      const seqs: number[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const page: Page<DoneItem> = (
          await stack.as<Page<DoneItem>>('finance.staff', 'GET', `/done?scope=me&limit=${limit}${query}`)
        ).body;
        seqs.push(...page.items.map((item) => item.seq));
        cursor = page.nextCursor;
      } while (cursor);
      return seqs;
    };
    expect(await walkDone(1)).toEqual(await walkDone(200));
  });

  /** Every hit of `query`, following nextCursor with pages of `limit`. */
  async function walk(who: string, query: Record<string, string>, limit = 50): Promise<Hit[]> {
    const hits: Hit[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const page: Page<Hit> = (await search(who, { ...query, limit, ...(cursor ? { cursor } : {}) })).body;
      hits.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) return hits;
    }
    throw new Error('more than 100 pages');
  }
});
