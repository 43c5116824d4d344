import path from 'node:path';
import { bulletinScheduleSpec } from './bulletin-schedule';
import { loadWorkerConfig } from './config';

const BASE = { DATABASE_URL: 'postgres://localhost/county' };

describe('the worker configuration of the 督查通报', () => {
  it('schedules the bulletin daily at 09:00 China time unless a test interval is given', () => {
    expect(loadWorkerConfig(BASE).bulletinScheduleIntervalSeconds).toBeUndefined();
    expect(bulletinScheduleSpec()).toEqual({
      calendars: [expect.objectContaining({ hour: 9, minute: 0 })],
      timezone: 'Asia/Shanghai',
    });
    expect(loadWorkerConfig({ ...BASE, BULLETIN_SCHEDULE_INTERVAL: '2s' }).bulletinScheduleIntervalSeconds).toBe(2);
    expect(loadWorkerConfig({ ...BASE, BULLETIN_SCHEDULE_INTERVAL: '5m' }).bulletinScheduleIntervalSeconds).toBe(300);
    expect(bulletinScheduleSpec(2)).toEqual({ intervals: [{ every: '2s' }] });
  });

  it.each(['0s', '-1', 'soon', '2h'])('refuses BULLETIN_SCHEDULE_INTERVAL=%p', (value) => {
    expect(() => loadWorkerConfig({ ...BASE, BULLETIN_SCHEDULE_INTERVAL: value })).toThrow(
      /BULLETIN_SCHEDULE_INTERVAL/,
    );
  });

  it('files the bulletins where the API keeps attachments', () => {
    expect(loadWorkerConfig({ ...BASE, ATTACHMENTS_DIR: '/srv/files' }).attachmentsDir).toBe('/srv/files');
    expect(loadWorkerConfig({ ...BASE, COUNTY_DATA_DIR: '/srv/county' }).attachmentsDir).toBe(
      path.join('/srv/county', 'attachments'),
    );
  });
});

describe('the worker tuning', () => {
  it('keeps the SDK defaults unless a setting is given', () => {
    expect(Object.values(loadWorkerConfig(BASE).tuning ?? {}).filter((value) => value !== undefined)).toEqual([]);
    expect(
      loadWorkerConfig({
        ...BASE,
        WORKER_MAX_CACHED_WORKFLOWS: '500',
        WORKER_WORKFLOW_TASK_SLOTS: '20',
        WORKER_ACTIVITY_TASK_SLOTS: '40',
        WORKER_WORKFLOW_POLLERS: '4',
        WORKER_ACTIVITY_POLLERS: '4',
        WORKER_DATABASE_POOL_SIZE: '20',
      }).tuning,
    ).toEqual({
      maxCachedWorkflows: 500,
      maxConcurrentWorkflowTaskExecutions: 20,
      maxConcurrentActivityTaskExecutions: 40,
      maxConcurrentWorkflowTaskPolls: 4,
      maxConcurrentActivityTaskPolls: 4,
      databasePoolSize: 20,
    });
  });

  it.each([
    ['WORKER_WORKFLOW_TASK_SLOTS', '1'],
    ['WORKER_WORKFLOW_POLLERS', 'many'],
    ['WORKER_MAX_CACHED_WORKFLOWS', '-1'],
    ['WORKER_DATABASE_POOL_SIZE', '2.5'],
  ])('refuses %s=%p', (name, value) => {
    expect(() => loadWorkerConfig({ ...BASE, [name]: value })).toThrow(new RegExp(name));
  });
});

describe('the worker metrics setting', () => {
  it('is off unless WORKER_METRICS_PORT is set, and listens on loopback unless told otherwise', () => {
    expect(loadWorkerConfig(BASE).metrics).toBeUndefined();
    expect(loadWorkerConfig({ ...BASE, WORKER_METRICS_PORT: '9464' }).metrics).toEqual({
      port: 9464,
      host: '127.0.0.1',
    });
    expect(loadWorkerConfig({ ...BASE, WORKER_METRICS_PORT: '9464', WORKER_METRICS_HOST: '0.0.0.0' }).metrics).toEqual({
      port: 9464,
      host: '0.0.0.0',
    });
  });

  it.each(['0', '70000', 'prometheus'])('refuses WORKER_METRICS_PORT=%s', (port) => {
    expect(() => loadWorkerConfig({ ...BASE, WORKER_METRICS_PORT: port })).toThrow(/WORKER_METRICS_PORT/);
  });
});

describe('Worker Versioning', () => {
  it('is off unless WORKER_BUILD_ID is set, and joins the deployment "county" by default', () => {
    expect(loadWorkerConfig(BASE).deployment).toBeUndefined();
    expect(loadWorkerConfig({ ...BASE, WORKER_BUILD_ID: '2026.12.1' }).deployment).toEqual({
      name: 'county',
      buildId: '2026.12.1',
    });
    expect(
      loadWorkerConfig({ ...BASE, WORKER_BUILD_ID: 'b7c1e2', WORKER_DEPLOYMENT_NAME: 'pingluo' }).deployment,
    ).toEqual({ name: 'pingluo', buildId: 'b7c1e2' });
  });

  it.each([
    ['WORKER_BUILD_ID', 'two words'],
    ['WORKER_BUILD_ID', '.hidden'],
    ['WORKER_DEPLOYMENT_NAME', 'county.v2'],
  ])('refuses %s=%p', (setting, value) => {
    expect(() => loadWorkerConfig({ ...BASE, WORKER_BUILD_ID: 'a1', [setting]: value })).toThrow(new RegExp(setting));
  });
});
