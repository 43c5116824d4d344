import { proxiedDatabase, request, startApi, TcpProxy, useStack, waitFor } from '@county/test-kit';

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
    const stack = useStack(async () => {
      const database = await proxiedDatabase();
      proxy = database.proxy;
      return { apiEnv: { DATABASE_URL: database.url } };
    });
    afterAll(() => proxy?.close());

    it('answers 503 with db "down", then recovers by itself when the database returns', async () => {
      expect((await stack.request('GET', '/health')).status).toBe(200);

      proxy.cut();
      const down = await stack.request('GET', '/health');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'unavailable', db: 'down', temporal: 'up' });

      proxy.restore();
      await waitFor('health to recover', async () => (await stack.request('GET', '/health')).status === 200, 15_000);
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
