import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { createActivities } from '@county/activities';
import { APP_DATABASE_ROLE, createDataSource, DataSource } from '@county/persistence';

/** The calendar activity, called from a workflow on the real Temporal server, against the real database. */
describe('calendar activity through Temporal', () => {
  const taskQueue = `calendar-probe-${process.pid}-${Date.now()}`;
  let dataSource: DataSource;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    dataSource = await createDataSource({ url: process.env.DATABASE_URL!, role: APP_DATABASE_ROLE }).initialize();
    nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: path.join(__dirname, 'workflows/calendar-probe.workflow.ts'),
      activities: createActivities({ dataSource, delivery: { allowedHosts: [], now: () => new Date() } }),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await nativeConnection?.close();
    await dataSource?.destroy();
  });

  const probe = (from: string, workdays: number) =>
    new Client({ connection }).workflow.execute('calendarProbeWorkflow', {
      taskQueue,
      workflowId: `${taskQueue}-${from}-${workdays}`,
      args: [from, workdays],
    });

  it('answers with the Ningxia overrides from the database and the calendar version', async () => {
    const result = await probe('2021-05-12T09:30:00+08:00', 3);
    expect(result).toEqual({
      at: '2021-05-19T01:30:00.000Z',
      calendarVersion: expect.stringMatching(/^chinese-days@1\.5\.7(\+years:[\d,]+)?\+overrides:4:/),
    });
  });

  it('fails with type CALENDAR_YEAR_NOT_COVERED for 2030 (retryable, so real workflows wait for the year)', async () => {
    const failure = await probe('2030-01-07T09:00:00+08:00', 1).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (failure as WorkflowFailedError).cause as ActivityFailure;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    const cause = activityFailure.cause as ApplicationFailure;
    expect(cause.type).toBe('CALENDAR_YEAR_NOT_COVERED');
    expect(cause.nonRetryable).toBe(false);
  });

  it('alerts the admins once per missing year, however often it is asked', async () => {
    await probe('2030-02-04T09:00:00+08:00', 1).catch(() => undefined);
    const rows: Array<{ n: number }> = await dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'calendar-year-not-covered' AND subject_id = '2030'
         AND recipient_unit_id = 'supervision' AND recipient_role = 'admin'`,
    );
    expect(rows[0].n).toBe(1);
    const audit: Array<{ n: number }> = await dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'calendar.year-not-covered' AND subject_id = '2030'`,
    );
    expect(audit[0].n).toBe(1);
  });
});
