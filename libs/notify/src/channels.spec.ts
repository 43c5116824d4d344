/**
 * The channels against real receivers on this machine: an SMTP server (smtp-server, parsed with mailparser) and a
 * node:http server that checks signatures the way a county's receiver would. Fast enough for the unit project.
 */
import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { sendDingtalkRobot } from './dingtalk';
import { createMailer } from './email';
import { DeliveryError, OutgoingMessage } from './message';
import { verifyDingtalkSignature, verifyWebhookSignature } from './signing';
import { sendWebhook, WebhookPayload } from './webhook';
import { sendWecomRobot } from './wecom';

const MESSAGE: OutgoingMessage = {
  deliveryId: '0b7e6f2a-58c4-4d8e-9d0a-4a3f9e2c1b77',
  kind: 'escalation-level-3',
  title: '“农村人居环境整治”任务已挂牌督办',
  body: '该任务已逾期 10 个工作日，请立即报送整改情况。',
  createdAt: '2026-07-01T02:30:00.000Z',
  link: 'https://duban.example.gov.cn/tasks/7',
  unitName: '城关镇',
};
const DINGTALK_SECRET = 'SEC0123456789abcdef0123456789abcdef';
const WEBHOOK_SECRET = 'county-webhook-secret-2026';

async function freePort(): Promise<number> {
  const server = createTcpServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }
  throw new Error('expected the send to fail');
}

describe('e-mail through a real SMTP server', () => {
  const received: ParsedMail[] = [];
  let smtp: SMTPServer;
  let port: number;

  beforeAll(async () => {
    smtp = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const reply = (responseCode: number, text: string): void =>
          callback(Object.assign(new Error(text), { responseCode }));
        if (address.address.startsWith('unknown@')) return reply(550, 'No such user');
        if (address.address.startsWith('busy@')) return reply(451, 'Try again later');
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    port = (smtp.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('delivers a Chinese e-mail with a deterministic Message-ID and X-Delivery-Id', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}` });
    try {
      await mailer.send('chengguan@example.gov.cn', MESSAGE);
      // A retry after a lost reply is the same e-mail to the receiver.
      await mailer.send('chengguan@example.gov.cn', MESSAGE);
    } finally {
      mailer.close();
    }
    expect(received).toHaveLength(2);
    const [mail, retried] = received;
    expect(mail.subject).toBe('【县级督办】“农村人居环境整治”任务已挂牌督办');
    expect(mail.from?.value[0]).toEqual({ address: 'noreply@localhost', name: '县级改革任务督办系统' });
    expect(mail.text).toContain('城关镇：');
    expect(mail.text).toContain('该任务已逾期 10 个工作日，请立即报送整改情况。');
    expect(mail.text).toContain('时间：2026-07-01 10:30');
    expect(mail.text).toContain('查看详情：https://duban.example.gov.cn/tasks/7');
    expect(mail.text).toContain('本邮件由县级改革任务督办系统自动发送，请勿直接回复。');
    expect(mail.html).toContain('<a href="https://duban.example.gov.cn/tasks/7">');
    expect(mail.messageId).toBe('<0b7e6f2a-58c4-4d8e-9d0a-4a3f9e2c1b77@county-task-engine>');
    expect(mail.headers.get('x-delivery-id')).toBe(MESSAGE.deliveryId);
    expect(retried.messageId).toBe(mail.messageId);
  });

  it('uses the configured sender', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: '县委督查室 <duban@example.gov.cn>' });
    try {
      await mailer.send('chengguan@example.gov.cn', { ...MESSAGE, link: null });
    } finally {
      mailer.close();
    }
    const mail = received[received.length - 1];
    expect(mail.from?.value[0]).toEqual({ address: 'duban@example.gov.cn', name: '县委督查室' });
    expect(mail.text).not.toContain('查看详情');
  });

  it('a 5xx rejection is final, a 4xx is retryable', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}` });
    try {
      const rejected = await rejection(mailer.send('unknown@example.gov.cn', MESSAGE));
      expect([rejected.retryable, rejected.code]).toEqual([false, 'smtp-rejected']);
      expect(rejected.message).toContain('550');
      const busy = await rejection(mailer.send('busy@example.gov.cn', MESSAGE));
      expect([busy.retryable, busy.code]).toEqual([true, 'smtp-unavailable']);
    } finally {
      mailer.close();
    }
  });

  it('a server that is not there is retryable', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${await freePort()}` });
    try {
      const error = await rejection(mailer.send('chengguan@example.gov.cn', MESSAGE));
      expect([error.retryable, error.code]).toEqual([true, 'smtp-unavailable']);
      expect(error.message).toContain('ECONNREFUSED');
    } finally {
      mailer.close();
    }
  });
});

interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('robots and webhooks through a real HTTP receiver', () => {
  const received: Received[] = [];
  let server: Server;
  let base: string;
  let allowedHosts: string[];

  function answer(response: ServerResponse, status: number, json: unknown): void {
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
  }

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://receiver');
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ path: url.pathname, query: url.searchParams, headers: request.headers, body });
        const errcode = Number(url.searchParams.get('errcode') ?? 0);
        switch (url.pathname) {
          case '/wecom':
            return answer(response, 200, { errcode, errmsg: errcode ? 'refused' : 'ok' });
          case '/dingtalk': {
            const timestamp = url.searchParams.get('timestamp');
            const sign = url.searchParams.get('sign');
            if (timestamp === null || sign === null || !verifyDingtalkSignature(DINGTALK_SECRET, timestamp, sign))
              return answer(response, 200, { errcode: 310000, errmsg: 'sign not match' });
            return answer(response, 200, { errcode, errmsg: errcode ? 'refused' : 'ok' });
          }
          case '/webhook': {
            if (!verifyWebhookSignature(WEBHOOK_SECRET, body, request.headers['x-signature'] as string | undefined))
              return answer(response, 401, { error: 'bad signature' });
            const status = Number(url.searchParams.get('status') ?? 204);
            return status === 204 ? response.writeHead(204).end() : answer(response, status, { error: status });
          }
          case '/redirect':
            return response.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
          case '/slow':
            return setTimeout(() => answer(response, 200, { errcode: 0 }), 2000).unref();
          default:
            return answer(response, 404, {});
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    allowedHosts = [`127.0.0.1:${port}`];
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  function last(): Received {
    return received[received.length - 1];
  }

  it('posts markdown to a 企业微信 robot', async () => {
    await sendWecomRobot(`${base}/wecom?key=abc`, MESSAGE, { allowedHosts });
    const request = last();
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('county-task-engine');
    const sent = JSON.parse(request.body) as { msgtype: string; markdown: { content: string } };
    expect(sent.msgtype).toBe('markdown');
    expect(sent.markdown.content).toContain('**【县级督办】“农村人居环境整治”任务已挂牌督办**');
    expect(sent.markdown.content).toContain('> 单位：城关镇');
    expect(sent.markdown.content).toContain('[查看详情](https://duban.example.gov.cn/tasks/7)');
  });

  it('keeps a long 企业微信 message within 4096 bytes', async () => {
    await sendWecomRobot(`${base}/wecom?key=abc`, { ...MESSAGE, body: '整改'.repeat(2000) }, { allowedHosts });
    const { markdown } = JSON.parse(last().body) as { markdown: { content: string } };
    expect(Buffer.byteLength(markdown.content, 'utf8')).toBeLessThanOrEqual(4096);
    expect(markdown.content).toContain('…');
  });

  it('classifies 企业微信 errcodes', async () => {
    const limited = await rejection(sendWecomRobot(`${base}/wecom?errcode=45009`, MESSAGE, { allowedHosts }));
    expect([limited.retryable, limited.code]).toEqual([true, 'wecom-45009']);
    const invalid = await rejection(sendWecomRobot(`${base}/wecom?errcode=93000`, MESSAGE, { allowedHosts }));
    expect([invalid.retryable, invalid.code]).toEqual([false, 'wecom-93000']);
  });

  it('signs 钉钉 requests the receiver can verify', async () => {
    const now = 1_782_900_000_000;
    await sendDingtalkRobot(`${base}/dingtalk?access_token=t`, DINGTALK_SECRET, MESSAGE, {
      allowedHosts,
      now: () => now,
    });
    const request = last();
    expect(request.query.get('access_token')).toBe('t');
    expect(request.query.get('timestamp')).toBe(String(now));
    const sent = JSON.parse(request.body) as { msgtype: string; markdown: { title: string; text: string } };
    expect(sent).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '【县级督办】“农村人居环境整治”任务已挂牌督办' },
    });
    expect(sent.markdown.text).toContain('该任务已逾期 10 个工作日');
  });

  it('classifies 钉钉 errcodes, including a signature the receiver refuses', async () => {
    const unsigned = await rejection(sendDingtalkRobot(`${base}/dingtalk`, null, MESSAGE, { allowedHosts }));
    expect([unsigned.retryable, unsigned.code]).toEqual([false, 'dingtalk-310000']);
    const wrongSecret = await rejection(sendDingtalkRobot(`${base}/dingtalk`, 'SECwrong', MESSAGE, { allowedHosts }));
    expect([wrongSecret.retryable, wrongSecret.code]).toEqual([false, 'dingtalk-310000']);
    const tooFast = await rejection(
      sendDingtalkRobot(`${base}/dingtalk?errcode=130101`, DINGTALK_SECRET, MESSAGE, { allowedHosts }),
    );
    expect([tooFast.retryable, tooFast.code]).toEqual([true, 'dingtalk-130101']);
  });

  const payload: WebhookPayload = {
    deliveryId: MESSAGE.deliveryId,
    notification: {
      id: '5d1f9c1e-1b2a-4f0e-8c3d-9e8f7a6b5c4d',
      kind: MESSAGE.kind,
      title: MESSAGE.title,
      body: MESSAGE.body,
      createdAt: MESSAGE.createdAt,
      link: MESSAGE.link,
      subjectType: 'task',
      subjectId: '7',
      recipientUnitId: 'chengguan',
      recipientRole: null,
    },
    recipients: [{ userId: 'u1', displayName: '张伟', phone: '13800000000', email: null }],
  };

  it('posts a signed webhook the receiver verifies', async () => {
    await sendWebhook(`${base}/webhook`, WEBHOOK_SECRET, payload, { allowedHosts });
    const request = last();
    expect(request.headers['x-delivery-id']).toBe(MESSAGE.deliveryId);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('county-task-engine');
    expect(JSON.parse(request.body)).toEqual(payload);
  });

  it('classifies webhook answers', async () => {
    const cases: Array<[string, boolean, string]> = [
      ['/webhook?status=503', true, 'http-503'],
      ['/webhook?status=429', true, 'http-429'],
      ['/webhook?status=408', true, 'http-408'],
      ['/webhook?status=404', false, 'http-404'],
      ['/webhook?status=422', false, 'http-422'],
    ];
    for (const [path, retryable, code] of cases) {
      const error = await rejection(sendWebhook(`${base}${path}`, WEBHOOK_SECRET, payload, { allowedHosts }));
      expect([path, error.retryable, error.code]).toEqual([path, retryable, code]);
    }
    // The receiver refuses a body signed with another secret.
    const forged = await rejection(sendWebhook(`${base}/webhook`, 'another-secret-0000', payload, { allowedHosts }));
    expect([forged.retryable, forged.code]).toEqual([false, 'http-401']);
  });

  it('does not follow a redirect', async () => {
    const error = await rejection(sendWebhook(`${base}/redirect`, WEBHOOK_SECRET, payload, { allowedHosts }));
    expect([error.retryable, error.code]).toEqual([false, 'redirect-refused']);
  });

  it('gives up on a slow receiver after the timeout, retryably', async () => {
    const error = await rejection(sendWecomRobot(`${base}/slow`, MESSAGE, { allowedHosts, timeoutMs: 200 }));
    expect([error.retryable, error.code]).toEqual([true, 'timeout']);
  });

  it('a receiver that is not there is retryable', async () => {
    const port = await freePort();
    const error = await rejection(
      sendWebhook(`http://127.0.0.1:${port}/webhook`, WEBHOOK_SECRET, payload, { allowedHosts: [`127.0.0.1:${port}`] }),
    );
    expect([error.retryable, error.code]).toEqual([true, 'network-error']);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses destinations that are not allowed, before connecting', async () => {
    const before = received.length;
    for (const send of [
      () => sendWebhook(`${base}/webhook`, WEBHOOK_SECRET, payload),
      () => sendWecomRobot(`${base}/wecom`, MESSAGE, { allowedHosts: ['127.0.0.1:1'] }),
      () => sendDingtalkRobot(`${base}/dingtalk`, DINGTALK_SECRET, MESSAGE),
      () => sendWebhook('https://10.0.0.1/', WEBHOOK_SECRET, payload, { timeoutMs: 200 }),
    ]) {
      const error = await rejection(send());
      expect([error.retryable, error.code]).toEqual([false, 'destination-refused']);
    }
    expect(received.length).toBe(before);
  });
});
