import { verifyDingtalkSignature, verifyWebhookSignature } from '@county/notify';
import {
  assignmentOf,
  assignmentPolicy,
  HttpReceiver,
  ImportedPlan,
  queryRows,
  SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
  useStack,
  waitFor,
} from '@county/test-kit';
import { deliveryWorkflowId } from '@county/workflows';

const PUBLIC_URL = 'https://dubian.pingluo.example';
const DINGTALK_SECRET = `SEC${'d1ngta1k'.repeat(4)}`;
const WEBHOOK_SECRET = 'oa-gateway-secret-0123456789';
const FAST_LADDER = assignmentPolicy({ remind: 2, ladder: [0, 3, 6] });

/**
 * The worker's clock for quiet hours, moved by the test: "it is now Friday 22:00 in China". Creation times are read
 * on the same clock (an offset from the real one), so a notification raised now counts as raised then.
 */
function movableClock(start: string) {
  let offsetMs = 0;
  const set = (chinaTime: string) => (offsetMs = new Date(chinaTime).getTime() - Date.now());
  set(start);
  return { now: () => new Date(Date.now() + offsetMs), set };
}

/** A Wednesday morning (a working day): what every test but the quiet-hours one runs at, whatever the real hour. */
const WORKING_MORNING = '2026-12-09T10:00:00+08:00';

/**
 * Issue 15: notifications leave the system — by e-mail to a real SMTP server, to 企业微信/钉钉 robots and to a signed
 * webhook served by a real HTTP receiver that checks the signatures — exactly once, at the hours the calendar allows.
 */
describe('notifications delivered outside the app', () => {
  let smtp: SmtpReceiver;
  let receiver: HttpReceiver;
  /** What the receiver found of each signed request (a bad signature is answered as the real service would). */
  const signatures: Array<{ channel: string; valid: boolean }> = [];
  let webhookStatus = 200;
  const clock = movableClock(WORKING_MORNING);
  /** Delivery workflows whose histories test/replay keeps (RECORD_HISTORIES=1), by the notification they deliver. */
  const recorded: Record<string, string | undefined> = {};

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    receiver = await startHttpReceiver((request) => {
      if (request.path === '/wecom/send') return { status: 200, json: { errcode: 0, errmsg: 'ok' } };
      if (request.path === '/dingtalk/send') {
        const valid = verifyDingtalkSignature(
          DINGTALK_SECRET,
          request.query.get('timestamp') ?? '',
          request.query.get('sign') ?? '',
        );
        signatures.push({ channel: 'dingtalk', valid });
        return {
          status: 200,
          json: valid ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' },
        };
      }
      const header = request.headers['x-signature'];
      const valid = verifyWebhookSignature(WEBHOOK_SECRET, request.body, Array.isArray(header) ? header[0] : header);
      signatures.push({ channel: 'webhook', valid });
      return { status: valid ? webhookStatus : 401, json: {} };
    });
  });

  const stack = useStack(() => ({
    worker: true,
    delivery: {
      smtpUrl: smtp.url,
      publicUrl: PUBLIC_URL,
      allowedHosts: [receiver.host],
      now: clock.now,
      // Enough attempts to outlast a 30 s SMTP outage (1, 2, 4, 4, … s apart).
      retry: { initialSeconds: 1, maximumSeconds: 4, maximumAttempts: 30 },
    },
    apiEnv: { NOTIFY_ALLOWED_HOSTS: receiver.host },
    users: ['supervisor', 'admin', 'finance.staff', 'finance.head', 'leader', 'approval.head', 'approval.staff'],
    histories: () => recorded,
  }));

  afterAll(async () => {
    // Later suites share the database: leave no endpoint pointing at a receiver that is gone, and no addresses.
    await queryRows(`DELETE FROM channel_endpoints WHERE url LIKE $1`, [`${receiver.url}%`]);
    await queryRows(`UPDATE users SET email = NULL, notify_categories = NULL WHERE email LIKE '%@pingluo.example'`);
    await smtp.close();
    await receiver.close();
  });

  const settings = (who: string, body: Record<string, unknown>) =>
    stack.as(who, 'PUT', '/me/notification-settings', body);
  const addEndpoint = (body: Record<string, unknown>) =>
    stack.as<{ id: string; hasSecret: boolean }>('admin', 'POST', '/channel-endpoints', { enabled: true, ...body });
  const deliveriesOf = (notificationIds: string[]) =>
    queryRows<{ id: string; channel: string; status: string; address: string; attempts: number; not_before: Date }>(
      `SELECT id, channel, status, address, attempts, not_before FROM deliveries WHERE notification_id = ANY($1::uuid[])`,
      [notificationIds],
    );
  const notificationsAbout = (assignmentId: string, kind: string) =>
    queryRows<{ id: string; recipient_unit_id: string }>(
      `SELECT id, recipient_unit_id FROM notifications WHERE subject_id = $1 AND kind = $2 ORDER BY created_at`,
      [assignmentId, kind],
    );
  const mailsFor = (deliveryId: string) => smtp.mails.filter((mail) => mail.deliveryId === deliveryId);
  const urge = async (assignmentIds: string[], text: string, who = 'supervisor') =>
    stack.as<{ items: Array<{ assignmentId: string; notificationId: string }> }>(who, 'POST', '/urges', {
      assignmentIds,
      text,
    });
  const planned = async (notificationId: string) => {
    await waitFor(
      'the notification planned',
      async () => (await deliveriesOf([notificationId])).length > 0,
      15_000,
      100,
    );
    return deliveriesOf([notificationId]);
  };

  let plan: ImportedPlan;

  it('refuses a robot or webhook that could reach inside the network, or lacks its secret, naming the field', async () => {
    const privateRobot = await addEndpoint({
      unitId: 'finance',
      kind: 'wecom',
      name: '财政局群',
      url: 'http://10.0.0.1/x',
    });
    expect(privateRobot.status).toBe(400);
    expect(JSON.stringify(privateRobot.body)).toContain('"field":"url"');
    const lookAlike = await addEndpoint({
      unitId: 'finance',
      kind: 'dingtalk',
      name: '财政局群',
      url: 'https://oapi.dingtalk.com.evil.example/robot/send?access_token=x',
    });
    expect(lookAlike.status).toBe(400);
    const unsigned = await addEndpoint({
      unitId: null,
      kind: 'webhook',
      name: 'OA',
      url: 'https://oa.example.cn/hook',
    });
    expect(unsigned.status).toBe(400);
    expect(JSON.stringify(unsigned.body)).toContain('"field":"secret"');
    expect((await queryRows(`SELECT 1 FROM channel_endpoints WHERE name IN ('财政局群', 'OA')`)).length).toBe(0);
  });

  it('mails a reminder to the unit’s staff exactly once; level 3 reaches the leader and the unit’s robots, signed', async () => {
    expect((await settings('finance.staff', { email: 'finance.staff@pingluo.example' })).status).toBe(200);
    // The head wants escalations only: no reminder for them.
    const head = await settings('finance.head', { email: 'finance.head@pingluo.example', categories: ['escalation'] });
    expect(head.body).toMatchObject({ categories: ['escalation'] });
    expect((await settings('leader', { email: 'leader@pingluo.example' })).status).toBe(200);
    const wecom = await addEndpoint({
      unitId: 'finance',
      kind: 'wecom',
      name: '财政局工作群（企业微信）',
      url: `${receiver.url}/wecom/send?key=finance-key`,
    });
    expect(wecom.status).toBe(201);
    const dingtalk = await addEndpoint({
      unitId: 'finance',
      kind: 'dingtalk',
      name: '财政局工作群（钉钉）',
      url: `${receiver.url}/dingtalk/send?access_token=finance-token`,
      secret: DINGTALK_SECRET,
    });
    expect(dingtalk.status).toBe(201);
    expect(dingtalk.body.hasSecret).toBe(true);
    expect(JSON.stringify(dingtalk.body)).not.toContain(DINGTALK_SECRET);
    const webhook = await addEndpoint({
      unitId: null,
      kind: 'webhook',
      name: '县OA短信网关',
      url: `${receiver.url}/hook`,
      secret: WEBHOOK_SECRET,
    });
    expect(webhook.status).toBe(201);

    plan = await stack.importWithPolicy(FAST_LADDER);
    const finance = assignmentOf(plan, 'finance');
    expect(
      (await stack.tasks.changeDeadline(plan.tasks[0].id, new Date(Date.now() + 3_000), '测试：提醒外发')).status,
    ).toBe(200);
    await waitFor(
      'the leader’s e-mail about level 3',
      async () => smtp.mailsTo('leader@pingluo.example').length > 0,
      60_000,
      200,
    );
    const [reminder] = await notificationsAbout(finance.id, 'deadline-reminder');
    const [levelThree] = await notificationsAbout(finance.id, 'escalation-level-3');
    await planned(reminder.id);
    await planned(levelThree.id);
    await waitFor(
      'every delivery of the reminder and of level 3 done',
      async () => (await deliveriesOf([reminder.id, levelThree.id])).every((delivery) => delivery.status === 'sent'),
      30_000,
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // a duplicate would have arrived by now

    const reminderDeliveries = await deliveriesOf([reminder.id]);
    const reminderMails = reminderDeliveries.filter((delivery) => delivery.channel === 'email');
    expect(reminderMails.map((delivery) => delivery.address)).toEqual(['finance.staff@pingluo.example']);
    const [mail, ...duplicates] = mailsFor(reminderMails[0].id);
    expect(duplicates).toEqual([]);
    expect(mail.to).toEqual(['finance.staff@pingluo.example']);
    expect(mail.subject).toContain('到期');
    expect(mail.text).toContain(`${PUBLIC_URL}/tasks/${plan.tasks[0].id}`);
    expect(mail.messageId).toBe(`<${reminderMails[0].id}@county-task-engine>`);
    // The reminder is for the unit as a whole: its group robots get it too, once each.
    expect(reminderDeliveries.map((delivery) => delivery.channel).sort()).toEqual([
      'dingtalk',
      'email',
      'webhook',
      'wecom',
    ]);

    const levelThreeDeliveries = await deliveriesOf([levelThree.id]);
    expect(levelThreeDeliveries.map((delivery) => `${delivery.channel}:${delivery.address}`).sort()).toEqual([
      `dingtalk:${receiver.url}/dingtalk/send`,
      'email:leader@pingluo.example',
      `webhook:${receiver.url}/hook`,
      `wecom:${receiver.url}/wecom/send`,
    ]);
    const leaderMails = smtp.mailsTo('leader@pingluo.example');
    expect(
      leaderMails.filter((m) => m.deliveryId === levelThreeDeliveries.find((d) => d.channel === 'email')!.id),
    ).toHaveLength(1);
    expect(leaderMails[0].subject).toContain('挂牌督办');

    const robotTexts = (path: string) =>
      receiver.requests.filter((request) => request.path === path).map((request) => JSON.stringify(request.json));
    expect(robotTexts('/wecom/send').filter((text) => text.includes('挂牌督办'))).toHaveLength(1);
    expect(robotTexts('/dingtalk/send').filter((text) => text.includes('挂牌督办'))).toHaveLength(1);
    expect(signatures.length).toBeGreaterThan(0);
    expect(signatures.every((signature) => signature.valid)).toBe(true);
    const hook = receiver.requests.find(
      (request) => request.path === '/hook' && JSON.stringify(request.json).includes(levelThree.id),
    )!;
    const payload = hook.json as { deliveryId: string; recipients: Array<{ email: string | null }> };
    expect(hook.headers['x-delivery-id']).toBe(payload.deliveryId);
    expect(payload.recipients.map((recipient) => recipient.email)).toEqual(['leader@pingluo.example']);
  }, 120_000);

  it('holds e-mail while the SMTP server is down for 30 s, then delivers it once', async () => {
    const finance = assignmentOf(plan, 'finance');
    await smtp.down();
    const urged = await urge([finance.id], '请尽快报送进展（SMTP 中断测试）');
    expect(urged.status).toBe(201);
    const notificationId = urged.body.items[0].notificationId;
    recorded['delivery-retried-through-outage'] = deliveryWorkflowId(notificationId);
    const email = (await planned(notificationId)).find(
      (delivery) => delivery.address === 'finance.staff@pingluo.example',
    )!;
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const during = (await deliveriesOf([notificationId])).find((delivery) => delivery.id === email.id)!;
    expect(during.status).toBe('pending');
    expect(during.attempts).toBeGreaterThan(1);
    expect(mailsFor(email.id)).toEqual([]);

    await smtp.up();
    await waitFor('the e-mail once the server is back', async () => mailsFor(email.id).length > 0, 30_000, 200);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(mailsFor(email.id)).toHaveLength(1);
    expect((await deliveriesOf([notificationId])).find((delivery) => delivery.id === email.id)!.status).toBe('sent');
  }, 90_000);

  it('makes a refused webhook a dead letter an admin sees and sends again', async () => {
    webhookStatus = 400; // the gateway refuses (a 4xx is final: no retries)
    const urged = await urge([assignmentOf(plan, 'civil-affairs').id], '请于本周内完成（死信测试）');
    const notificationId = urged.body.items[0].notificationId;
    recorded['delivery-dead-letter'] = deliveryWorkflowId(notificationId);
    recorded['delivery-dead-letter-resent'] = deliveryWorkflowId(notificationId, 1);
    await waitFor(
      'the webhook delivery dead',
      async () => (await deliveriesOf([notificationId])).some((d) => d.channel === 'webhook' && d.status === 'dead'),
      20_000,
      200,
    );
    const dead = await stack.as<{ items: Array<{ id: string; notificationId: string; lastError: string }> }>(
      'admin',
      'GET',
      '/deliveries?status=dead',
    );
    const letter = dead.body.items.find((item) => item.notificationId === notificationId)!;
    expect(letter.lastError).toContain('400');
    expect((await stack.as('finance.staff', 'GET', '/deliveries?status=dead')).status).toBe(403);

    webhookStatus = 200;
    const retried = await stack.as<{ status: string }>('admin', 'POST', `/deliveries/${letter.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('pending');
    expect((await stack.as('admin', 'POST', `/deliveries/${letter.id}/retry`)).status).toBe(409); // not dead now
    await waitFor(
      'the retried delivery sent',
      async () => (await deliveriesOf([notificationId])).some((d) => d.id === letter.id && d.status === 'sent'),
      20_000,
      200,
    );
  }, 60_000);

  describe('quiet hours (the worker’s clock moved; the calendar is the real one: 2026-10-10 is a 调休 Saturday)', () => {
    afterAll(() => clock.set(WORKING_MORNING));

    const timerOf = async (notificationId: string) => {
      const history = await stack.temporal.workflow.getHandle(`delivery-${notificationId}`).fetchHistory();
      const started = history.events?.find((event) => event.timerStartedEventAttributes);
      const timeout = started?.timerStartedEventAttributes?.startToFireTimeout;
      return timeout ? Number(String(timeout.seconds ?? 0)) : null;
    };

    it('holds a reminder due Friday 22:00 for 08:30 on the 调休 Saturday, but pushes level 3 at once', async () => {
      clock.set('2026-10-09T21:59:55+08:00');
      const night = await stack.importWithPolicy(FAST_LADDER);
      const finance = assignmentOf(night, 'finance');
      expect(
        (await stack.tasks.changeDeadline(night.tasks[0].id, new Date(Date.now() + 3_000), '测试：夜间')).status,
      ).toBe(200);
      await waitFor(
        'level 3',
        async () => (await notificationsAbout(finance.id, 'escalation-level-3')).length > 0,
        60_000,
        200,
      );
      const [reminder] = await notificationsAbout(finance.id, 'deadline-reminder');
      const [levelThree] = await notificationsAbout(finance.id, 'escalation-level-3');

      await planned(levelThree.id);
      const held = await planned(reminder.id);
      expect(new Set(held.map((delivery) => delivery.not_before.toISOString()))).toEqual(
        new Set([new Date('2026-10-10T08:30:00+08:00').toISOString()]),
      );
      await waitFor(
        'level 3 sent at night',
        async () => (await deliveriesOf([levelThree.id])).every((delivery) => delivery.status === 'sent'),
        20_000,
        200,
      );
      expect((await deliveriesOf([reminder.id])).every((delivery) => delivery.status === 'pending')).toBe(true);
      // The delivery workflow sleeps on a durable timer until then: about ten and a half hours.
      const waitSeconds = await timerOf(reminder.id);
      expect(waitSeconds).toBeGreaterThan(10 * 3600);
      expect(waitSeconds).toBeLessThanOrEqual(10.5 * 3600 + 60);
    }, 120_000);

    it('holds one raised on a holiday for the first working day after it', async () => {
      clock.set('2026-10-03T10:00:00+08:00'); // National Day
      const urged = await urge([assignmentOf(plan, 'finance').id], '节日期间催办');
      const deliveries = await planned(urged.body.items[0].notificationId);
      expect(deliveries[0].not_before.toISOString()).toBe(new Date('2026-10-08T08:30:00+08:00').toISOString());
    }, 30_000);

    it('sends a held message when its timer fires at 08:30', async () => {
      clock.set('2026-10-10T08:29:56+08:00'); // the 调休 Saturday, just before opening
      const urged = await urge([assignmentOf(plan, 'finance').id], '开门即送');
      const raisedAt = Date.now();
      recorded['delivery-held-until-opening'] = deliveryWorkflowId(urged.body.items[0].notificationId);
      const email = (await planned(urged.body.items[0].notificationId)).find((d) => d.channel === 'email')!;
      expect(email.not_before.toISOString()).toBe(new Date('2026-10-10T08:30:00+08:00').toISOString());
      await waitFor('the e-mail at 08:30', async () => mailsFor(email.id).length > 0, 20_000, 100);
      expect(mailsFor(email.id)[0].at.getTime() - raisedAt).toBeGreaterThanOrEqual(2_000);
      expect(mailsFor(email.id)).toHaveLength(1);
    }, 40_000);
  });
});
