import path from 'node:path';
import { queryRows, SmtpReceiver, startSmtpReceiver, useStack, waitFor } from '@county/test-kit';
import { NodeProcess, runNodeScript } from './support/node-process';

const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/dist/main.js');
const ADDRESS = 'health.staff@pingluo.example';

/**
 * The worker process is killed (SIGKILL) while an e-mail is half sent: the SMTP server has the message but has not
 * answered. A server that never said 250 has not taken the message, so a new worker must send it again — and it
 * must arrive exactly once. An urgent 乡呼县应 call is pushed at any hour, so the real clock may be used.
 */
describe('a worker killed in the middle of a delivery', () => {
  const taskQueue = `delivery-crash-${process.pid}-${Date.now()}`;
  let smtp: SmtpReceiver;
  const workers: NodeProcess[] = [];
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  const stack = useStack({ apiEnv: { TEMPORAL_TASK_QUEUE: taskQueue }, users: ['chengguan.staff', 'health.staff'] });

  const spawnWorker = async () => {
    const worker = runNodeScript(WORKER_MAIN, {
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: smtp.url,
      NOTIFY_RETRY_INITIAL_SECONDS: '1',
      NOTIFY_RETRY_MAX_SECONDS: '2',
      NOTIFY_POLL_MS: '300',
    });
    workers.push(worker);
    await waitFor('the worker to poll', async () => worker.output().includes('worker polling'), 60_000, 200);
    return worker;
  };

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await queryRows(`UPDATE users SET email = NULL WHERE email = $1`, [ADDRESS]);
    await smtp.close();
  });

  it('sends the e-mail again under the next worker, and it arrives once', async () => {
    expect((await stack.as('health.staff', 'PUT', '/me/notification-settings', { email: ADDRESS })).status).toBe(200);
    const first = await spawnWorker();
    const held = smtp.hold([ADDRESS]);
    const raised = await stack.calls.raise('chengguan.staff', 'health', { urgency: 'urgent' });
    expect(raised.status).toBe(201);
    await held.received; // the message is on the server, its reply not yet sent
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    held.release();

    const [delivery] = await queryRows<{ id: string; status: string }>(
      `SELECT d.id, d.status FROM deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE n.subject_type = 'call' AND n.subject_id = $1 AND n.kind = 'call-received' AND d.address = $2`,
      [raised.body.id, ADDRESS],
    );
    expect(delivery.status).toBe('pending');
    expect(smtp.mails.filter((mail) => mail.deliveryId === delivery.id)).toEqual([]);

    await spawnWorker();
    // The dead worker's attempt times out (20 s), then the new worker makes the next one.
    await waitFor(
      'the e-mail under the new worker',
      async () => smtp.mails.some((mail) => mail.deliveryId === delivery.id),
      60_000,
      200,
    );
    await waitFor(
      'the delivery marked sent',
      async () =>
        (await queryRows<{ status: string }>(`SELECT status FROM deliveries WHERE id = $1`, [delivery.id]))[0]
          .status === 'sent',
      10_000,
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(smtp.mails.filter((mail) => mail.deliveryId === delivery.id)).toHaveLength(1);
    expect(smtp.mails.find((mail) => mail.deliveryId === delivery.id)!.subject).toContain('紧急乡镇呼叫');
  }, 150_000);
});
