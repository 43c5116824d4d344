import { readdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { assignmentOf, queryRows, useStack, waitFor } from '@county/test-kit';
import { assignmentWorkflowId, callWorkflowId } from '@county/workflows';
import { docxFile, exeFile, jpegFile, ofdFile, pdfFile } from './support/files';
import { multipartBody, postForm } from './support/multipart';

interface Attachment {
  id: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  previewable: boolean;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const STORE = () => process.env.ATTACHMENTS_DIR!;
const objectPath = (hash: string) => path.join(STORE(), 'objects', hash.slice(0, 2), hash);

/**
 * 佐证材料 (issue 16): real files of every accepted type, made here, go through the real API into the store and travel
 * with the report as references; the lead unit's head downloads them, another unit cannot, and /audit/verify re-hashes
 * them against the chain.
 */
describe('佐证材料 on a report', () => {
  let photoCallId: string | undefined;
  const stack = useStack({
    worker: true,
    plan: {},
    // Workflows whose requests carried 佐证材料 references, for test/replay (RECORD_HISTORIES=1).
    histories: ({ assignmentOf }) => ({
      'assignment-with-attachments': assignmentWorkflowId(assignmentOf('civil-affairs').id),
      'call-with-attachments': photoCallId && callWorkflowId(photoCallId),
    }),
    users: [
      'finance.staff',
      'finance.head',
      'approval.head',
      'civil-affairs.staff',
      'supervisor',
      'leader',
      'chengguan.staff',
      'housing.staff',
      'baofeng.staff',
    ],
  });
  const upload = async (who: string, name: string, bytes: Buffer) => {
    const answer = await postForm(`${stack.api.baseUrl}/attachments`, stack.token(who), [
      { name: 'file', filename: name, bytes },
    ]);
    return { status: answer.status, body: JSON.parse(answer.text) as Attachment & { detail?: string; code?: string } };
  };
  const count = async () => Number((await queryRows<{ n: string }>(`SELECT count(*) AS n FROM attachments`))[0].n);
  const incoming = async () => readdir(path.join(STORE(), 'incoming')).catch(() => [] as string[]);
  const download = (who: string, id: string, query = '') =>
    fetch(`${stack.api.baseUrl}/attachments/${id}/content${query}`, {
      headers: { authorization: `Bearer ${stack.token(who)}` },
    });

  it('takes a PDF, a JPEG, an OFD and a DOCX by their content, and refuses an .exe named .pdf with 415', async () => {
    const files = {
      pdf: await upload('finance.staff', '关于印发实施方案的通知.pdf', pdfFile()),
      jpeg: await upload('finance.staff', '现场照片.jpg', jpegFile()),
      ofd: await upload('finance.staff', '电子公文.ofd', ofdFile()),
      docx: await upload('finance.staff', '会议纪要.docx', docxFile()),
    };
    expect(Object.fromEntries(Object.entries(files).map(([kind, answer]) => [kind, answer.status]))).toEqual({
      pdf: 201,
      jpeg: 201,
      ofd: 201,
      docx: 201,
    });
    expect(files.pdf.body).toMatchObject({
      name: '关于印发实施方案的通知.pdf',
      contentType: 'application/pdf',
      previewable: true,
    });
    expect(files.jpeg.body.contentType).toBe('image/jpeg');
    expect(files.ofd.body).toMatchObject({ contentType: 'application/ofd', previewable: false });
    expect(files.docx.body.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');

    const before = await count();
    const exe = await upload('finance.staff', '整改报告.pdf', exeFile());
    expect(exe.status).toBe(415);
    expect(exe.body.detail).toContain('只接受 PDF');
    expect(await count()).toBe(before);
    expect(await incoming()).toEqual([]);
  });

  it('submits a report with two files; the lead head downloads both, another unit gets 403; approved; verify ok', async () => {
    const assignment = stack.assignmentOf('finance');
    const pdf = pdfFile('整改方案');
    const jpeg = jpegFile();
    const [first, second] = [
      await upload('finance.staff', '整改方案（2027）.pdf', pdf),
      await upload('finance.staff', '现场照片.jpg', jpeg),
    ];
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.sha256).toBe(sha256(pdf));

    expect((await stack.assignments.act('finance.staff', assignment.id, 'acknowledge')).status).toBe(200);
    const submitted = await stack.assignments.act('finance.staff', assignment.id, 'submit', {
      summary: '已按要求完成整改，方案和现场照片见附件',
      attachmentIds: [first.body.id, second.body.id],
    });
    expect(submitted.status).toBe(200);

    // The audit event of the submission carries the references (sha256 included), never the bytes.
    const [event] = await queryRows<{ payload: { attachments: Attachment[] } }>(
      `SELECT payload FROM audit_events WHERE subject_id = $1 AND action = 'assignment.submit' ORDER BY seq DESC LIMIT 1`,
      [assignment.id],
    );
    expect(event.payload.attachments.map((file) => [file.name, file.sha256])).toEqual([
      ['整改方案（2027）.pdf', sha256(pdf)],
      ['现场照片.jpg', sha256(jpeg)],
    ]);

    const asLead = await download('approval.head', first.body.id);
    expect(asLead.status).toBe(200);
    expect(Buffer.from(await asLead.arrayBuffer()).equals(pdf)).toBe(true);
    expect(asLead.headers.get('content-type')).toBe('application/pdf');
    expect(asLead.headers.get('x-content-type-options')).toBe('nosniff');
    expect(asLead.headers.get('content-disposition')).toBe(
      `attachment; filename="_____2027_.pdf"; filename*=UTF-8''${encodeURIComponent('整改方案（2027）.pdf')}`,
    );
    const photo = await download('approval.head', second.body.id, '?disposition=inline');
    expect(photo.status).toBe(200);
    expect(Buffer.from(await photo.arrayBuffer()).equals(jpeg)).toBe(true);
    expect(photo.headers.get('content-disposition')).toMatch(/^inline; /);

    // 县民政局 works on the same task, but not on 县财政局's part: the report's files are not its to read.
    for (const id of [first.body.id, second.body.id]) {
      const other = await download('civil-affairs.staff', id);
      expect(other.status).toBe(403);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect((await stack.as('civil-affairs.staff', 'GET', `/attachments/${id}`)).status).toBe(403);
    }
    // Nor may it attach them to its own work.
    const civil = stack.assignmentOf('civil-affairs');
    await stack.assignments.act('civil-affairs.staff', civil.id, 'acknowledge');
    const borrowed = await stack.assignments.act('civil-affairs.staff', civil.id, 'submit', {
      summary: '借用他人材料',
      attachmentIds: [first.body.id],
    });
    expect(borrowed.status).toBe(403);
    expect(await stack.assignments.status(civil.id)).toBe('acknowledged');
    // The supervision office and the leadership see every item, and so its files.
    expect((await download('supervisor', first.body.id)).status).toBe(200);
    expect((await download('leader', second.body.id)).status).toBe(200);

    expect((await stack.assignments.act('approval.head', assignment.id, 'approve', { comment: '同意' })).status).toBe(
      200,
    );
    const verified = await stack.as<{ ok: boolean; files: { checked: number; broken: unknown[] } }>(
      'supervisor',
      'GET',
      '/audit/verify',
    );
    expect(verified.body.ok).toBe(true);
    expect(verified.body.files.checked).toBeGreaterThanOrEqual(2);
    expect(verified.body.files.broken).toEqual([]);

    // A byte changed on disk: verify names the file (and the chain itself is still intact).
    const stored = objectPath(first.body.sha256);
    const original = await readFile(stored);
    const tampered = Buffer.from(original);
    tampered[20] ^= 0x01;
    await writeFile(stored, tampered);
    try {
      const broken = await stack.as<{
        ok: boolean;
        firstBrokenSeq?: number;
        files: { broken: Array<{ id: string; name: string; problem: string }> };
      }>('supervisor', 'GET', '/audit/verify');
      expect(broken.body.ok).toBe(false);
      expect(broken.body.firstBrokenSeq).toBeUndefined();
      expect(broken.body.files.broken).toEqual([
        { id: first.body.id, name: '整改方案（2027）.pdf', sha256: first.body.sha256, problem: 'changed' },
      ]);
    } finally {
      await writeFile(stored, original); // the run's other suites verify the same store
    }
    expect((await stack.as<{ ok: boolean }>('supervisor', 'GET', '/audit/verify')).body.ok).toBe(true);
  });

  it('stores the same bytes once, keeps a path-like name as given, and serves it under a safe one', async () => {
    const bytes = pdfFile('同一文件');
    const name = '../../etc/passwd\u0007\\报告.pdf';
    const first = await upload('finance.staff', name, bytes);
    const again = await upload('finance.staff', '另一个名字.pdf', bytes);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(first.body.id).not.toBe(again.body.id);
    expect(first.body.sha256).toBe(again.body.sha256);
    expect(first.body.name).toBe(name);
    expect(await readdir(path.dirname(objectPath(first.body.sha256)))).toContain(first.body.sha256);
    const stored = (await readdir(path.join(STORE(), 'objects'), { recursive: true })).filter((entry) =>
      entry.endsWith(first.body.sha256),
    );
    expect(stored).toHaveLength(1);
    const answer = await download('finance.staff', first.body.id);
    // No path, no control character, no leading dot: what a browser saves it as.
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename="_.._etc_passwd____.pdf"; filename*=UTF-8''${encodeURIComponent('_.._etc_passwd__报告.pdf')}`,
    );
  });

  it('refuses a file over the limit with 413 and keeps nothing', async () => {
    const before = await count();
    const big = Buffer.concat([pdfFile(), Buffer.alloc(20 * 1024 * 1024 + 1 - pdfFile().length, 0x20)]);
    const answer = await upload('finance.staff', '超大扫描件.pdf', big);
    expect(answer.status).toBe(413);
    expect(answer.body.detail).toContain('上限');
    expect(await count()).toBe(before);
    expect(await incoming()).toEqual([]);
  });

  it('leaves no partial file and no row when the upload is cut off mid-stream', async () => {
    const before = await count();
    const { body, contentType } = multipartBody(
      [{ name: 'file', filename: '断网.pdf', bytes: Buffer.concat([pdfFile(), Buffer.alloc(2 * 1024 * 1024, 0x20)]) }],
      '----cutoff',
    );
    const url = new URL(`${stack.api.baseUrl}/attachments`);
    await new Promise<void>((resolve) => {
      const outgoing = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${stack.token('finance.staff')}`,
            'content-type': contentType,
            'content-length': body.length,
          },
        },
        () => resolve(),
      );
      outgoing.on('error', () => resolve());
      outgoing.write(body.subarray(0, 1024 * 1024), () => setTimeout(() => outgoing.destroy(), 200));
      outgoing.on('close', () => resolve());
    });
    await waitFor('the cut-off upload to be cleared', async () => (await incoming()).length === 0, 10_000);
    expect(await count()).toBe(before);
  });

  it('refuses attachmentIds that are not UUIDs or name no file (400 / 422 style), changing nothing', async () => {
    const assignment = stack.assignmentOf('civil-affairs');
    const bad = await stack.assignments.act('civil-affairs.staff', assignment.id, 'submit', {
      summary: '完成',
      attachmentIds: ['../etc/passwd'],
    });
    expect(bad.status).toBe(400);
    const missing = await stack.assignments.act('civil-affairs.staff', assignment.id, 'submit', {
      summary: '完成',
      attachmentIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('请先上传');
    expect(await stack.assignments.status(assignment.id)).toBe('acknowledged');
  });

  it('乡呼县应: a call raised with a photo, resolved with a photo; the township sees it and rates it', async () => {
    const site = await upload('chengguan.staff', '危房现场.jpg', jpegFile());
    const raised = await stack.as<{ id: string }>('chengguan.staff', 'POST', '/calls', {
      toUnitId: 'housing',
      subject: '危房鉴定',
      description: '两户危房需住建部门现场鉴定，现场照片见附件',
      urgency: 'normal',
      attachmentIds: [site.body.id],
    });
    expect(raised.status).toBe(201);
    const callId = raised.body.id;
    photoCallId = callId;
    // The called unit opens the township's photo; a third township cannot.
    expect((await download('housing.staff', site.body.id)).status).toBe(200);
    expect((await download('baofeng.staff', site.body.id)).status).toBe(403);

    expect((await stack.as('housing.staff', 'POST', `/calls/${callId}/respond`, { note: '已签收' })).status).toBe(200);
    const photo = jpegFile();
    const evidence = await upload('housing.staff', '鉴定现场.jpg', photo);
    const resolved = await stack.as('housing.staff', 'POST', `/calls/${callId}/resolve`, {
      resolution: '已派员现场鉴定并出具鉴定意见',
      attachmentIds: [evidence.body.id],
    });
    expect(resolved.status).toBe(200);

    const detail = await stack.as<{
      attachments: Attachment[];
      timeline: Array<{ action: string; payload: { attachments?: Attachment[] } }>;
    }>('chengguan.staff', 'GET', `/calls/${callId}`);
    expect(detail.body.attachments.map((file) => file.name)).toEqual(['危房现场.jpg', '鉴定现场.jpg']);
    const resolution = detail.body.timeline.find((event) => event.action === 'call.resolved');
    expect(resolution?.payload.attachments?.map((file) => file.id)).toEqual([evidence.body.id]);
    const seen = await download('chengguan.staff', evidence.body.id, '?disposition=inline');
    expect(seen.status).toBe(200);
    expect(Buffer.from(await seen.arrayBuffer()).equals(photo)).toBe(true);
    expect((await download('baofeng.staff', evidence.body.id)).status).toBe(403);

    // The township cannot pass the county unit's file off as its own evidence.
    const borrowed = await stack.as('chengguan.staff', 'POST', `/calls/${callId}/evaluate`, {
      rating: 'dissatisfied',
      comment: '照片不清楚',
      attachmentIds: [evidence.body.id],
    });
    expect(borrowed.status).toBe(403);
    const rated = await stack.as<{ status: string; rating: string }>(
      'chengguan.staff',
      'POST',
      `/calls/${callId}/evaluate`,
      {
        rating: 'satisfied',
        comment: '鉴定及时',
      },
    );
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ status: 'closed', rating: 'satisfied' });
  });

  it('shows the report where it is decided: review card, returned card with its reason, history, consolidation', async () => {
    interface Report {
      submitted: { summary: string; attachments: Attachment[] } | null;
      progress: { percent: number; attachments: Attachment[] } | null;
      returned: { reason: string } | null;
    }
    const card = async (who: string, kind: string, assignmentId: string) =>
      (
        await stack.as<{ items: Array<{ kind: string; assignmentId: string | null; report: Report | null }> }>(
          who,
          'GET',
          '/inbox?limit=500',
        )
      ).body.items.find((item) => item.kind === kind && item.assignmentId === assignmentId);
    const civil = stack.assignmentOf('civil-affairs');
    const table = await upload('civil-affairs.staff', '进度台账.xlsx', docxFile());
    expect(table.status).toBe(201); // a .docx named .xlsx is still a Word file: its content decides
    expect(table.body.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(
      (
        await stack.assignments.act('civil-affairs.staff', civil.id, 'progress', {
          note: '已完成过半',
          percent: 60,
          attachmentIds: [table.body.id],
        })
      ).status,
    ).toBe(200);
    const first = await upload('civil-affairs.staff', '初稿.pdf', pdfFile('初稿'));
    await stack.assignments.act('civil-affairs.staff', civil.id, 'submit', {
      summary: '已完成初稿',
      attachmentIds: [first.body.id],
    });

    const review = await card('approval.head', 'review', civil.id);
    expect(review?.report?.submitted).toMatchObject({
      summary: '已完成初稿',
      attachments: [{ name: '初稿.pdf', previewable: true }],
    });
    expect(review?.report?.progress).toMatchObject({ percent: 60, attachments: [{ name: '进度台账.xlsx' }] });
    expect((await download('approval.head', table.body.id)).status).toBe(200);

    await stack.assignments.act('approval.head', civil.id, 'return', { reason: '请补充会议纪要' });
    const returned = await card('civil-affairs.staff', 'work', civil.id);
    expect(returned?.report?.returned).toMatchObject({ reason: '请补充会议纪要' });

    const minutes = await upload('civil-affairs.staff', '会议纪要.docx', docxFile());
    const resubmitted = await stack.assignments.act('civil-affairs.staff', civil.id, 'submit', {
      summary: '已补充会议纪要',
      attachmentIds: [first.body.id, minutes.body.id],
    });
    expect(resubmitted.status).toBe(200);
    expect(
      (await card('approval.head', 'review', civil.id))?.report?.submitted?.attachments.map((f) => f.name),
    ).toEqual(['初稿.pdf', '会议纪要.docx']);
    await stack.assignments.act('approval.head', civil.id, 'approve', {});

    const detail = await stack.as<{ reports: Array<{ action: string; payload: Record<string, unknown> }> }>(
      'civil-affairs.staff',
      'GET',
      `/assignments/${civil.id}`,
    );
    expect(detail.body.reports.map((event) => event.action)).toEqual([
      'assignment.progress',
      'assignment.submit',
      'assignment.return',
      'assignment.submit',
      'assignment.approve',
    ]);

    // Both units approved: the lead unit consolidates, seeing each unit's report with its files, and attaches its own.
    const task = await stack.as<{ assignments: Array<{ unitId: string; report: Report }> }>(
      'approval.head',
      'GET',
      `/tasks/${stack.plan.tasks[0].id}`,
    );
    const reports = Object.fromEntries(
      task.body.assignments.map((assignment) => [
        assignment.unitId,
        assignment.report.submitted?.attachments.map((file) => file.name),
      ]),
    );
    expect(reports).toMatchObject({
      finance: ['整改方案（2027）.pdf', '现场照片.jpg'],
      'civil-affairs': ['初稿.pdf', '会议纪要.docx'],
    });
    const summaryFile = await upload('approval.head', '汇总报告.pdf', pdfFile('汇总'));
    const consolidated = await stack.tasks.act('approval.head', stack.plan.tasks[0].id, 'consolidate', {
      summary: '两单位均已完成',
      attachmentIds: [summaryFile.body.id],
    });
    expect(consolidated.status).toBe(200);
    // The consolidation's file is the task's: every unit of the task may read it, an outsider may not.
    expect((await download('finance.staff', summaryFile.body.id)).status).toBe(200);
    expect((await download('supervisor', summaryFile.body.id)).status).toBe(200);
    expect((await download('baofeng.staff', summaryFile.body.id)).status).toBe(403);
  });

  it('an extension request carries its files to the supervision office, which opens them where it decides', async () => {
    const plan = await stack.importAndStart();
    const finance = assignmentOf(plan, 'finance');
    await stack.assignments.act('finance.staff', finance.id, 'acknowledge');
    const notice = await upload('finance.staff', '上级通知.pdf', pdfFile('上级通知'));
    const requested = await stack.as<{ id: string; attachments: Attachment[] }>(
      'finance.staff',
      'POST',
      `/assignments/${finance.id}/extension-requests`,
      { requestedDueAt: '2027-09-30T23:59:59+08:00', reason: '需等待上级文件下发', attachmentIds: [notice.body.id] },
    );
    expect(requested.status).toBe(201);
    expect(requested.body.attachments).toMatchObject([{ id: notice.body.id, name: '上级通知.pdf', previewable: true }]);
    const pending = await stack.as<{ items: Array<{ id: string; attachments: Attachment[] }> }>(
      'supervisor',
      'GET',
      '/extension-requests?status=pending',
    );
    const listed = pending.body.items.find((item) => item.id === requested.body.id);
    expect(listed?.attachments.map((file) => file.name)).toEqual(['上级通知.pdf']);
    expect((await download('supervisor', notice.body.id)).status).toBe(200);
    expect((await download('civil-affairs.staff', notice.body.id)).status).toBe(403);
  });
});
