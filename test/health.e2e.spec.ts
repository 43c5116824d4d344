import { request, RunningApi, startApi } from './support/api';
import { TcpProxy } from './support/tcp-proxy';
import { waitFor } from './support/wait';

describe('GET /api/v1/health', () => {
  it('reports ok when PostgreSQL and the Temporal namespace both answer', async () => {
    const api = await startApi();
    try {
      const response = await request(api.baseUrl, 'GET', '/health');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok', db: 'up', temporal: 'up' });
    } finally {
      await api.close();
    }
  });

  describe('while PostgreSQL is unreachable', () => {
    let proxy: TcpProxy;
    let api: RunningApi;

    beforeAll(async () => {
      const database = new URL(process.env.DATABASE_URL!);
      proxy = await TcpProxy.start(database.hostname, Number(database.port || 5432));
      database.hostname = '127.0.0.1';
      database.port = String(proxy.port);
      api = await startApi({ DATABASE_URL: database.toString() });
    });

    afterAll(async () => {
      await api?.close();
      await proxy?.close();
    });

    it('answers 503 with db "down", then recovers by itself when the database returns', async () => {
      expect((await request(api.baseUrl, 'GET', '/health')).status).toBe(200);

      proxy.cut();
      const down = await request(api.baseUrl, 'GET', '/health');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'unavailable', db: 'down', temporal: 'up' });

      proxy.restore();
      await waitFor(
        'health to recover',
        async () => (await request(api.baseUrl, 'GET', '/health')).status === 200,
        15_000,
      );
    });
  });

  it('answers 503 with temporal "down" when the Temporal server cannot be reached', async () => {
    const proxy = await TcpProxy.start('127.0.0.1', 1);
    proxy.cut();
    const api = await startApi({ TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}` });
    try {
      const response = await request(api.baseUrl, 'GET', '/health');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'unavailable', db: 'up', temporal: 'down' });
    } finally {
      await api.close();
      await proxy.close();
    }
  });
});
