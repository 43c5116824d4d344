import os from 'node:os';
import path from 'node:path';
import { dropDatabase } from '@county/scripts/dist/postgres';
import { RunningRealTemporal, startRealTemporalServer } from '@county/scripts/dist/temporal-real-server';

export interface OwnRealTemporal {
  address: string;
  /** `kill -9` of the server process: no shutdown, whatever was in flight is cut off. */
  kill9(): Promise<void>;
  /** The same server again on the same databases and ports (the schema setup is a no-op the second time). */
  restart(): Promise<void>;
  /** Stops the server and drops its two databases. */
  stop(): Promise<void>;
}

/**
 * A real Temporal server of the suite's own, on two throwaway databases on the run's PostgreSQL, for suites that
 * kill it. It keeps its ports across a restart, so the API's and the worker's connections find it again.
 */
export async function startOwnRealTemporal(name: string): Promise<OwnRealTemporal> {
  const admin = new URL(process.env.DATABASE_URL!);
  admin.pathname = '/postgres';
  const prefix = `county_${name}_${process.pid}_${Date.now()}`;
  let running: RunningRealTemporal = await startRealTemporalServer({
    postgresUrl: admin.toString(),
    databases: { main: `${prefix}_temporal`, visibility: `${prefix}_temporal_vis` },
    stateDir: path.join(os.tmpdir(), prefix),
  });
  const options = running.options;
  return {
    address: running.address,
    kill9: async () => {
      const exited = new Promise((resolve) => running.server.once('exit', resolve));
      running.server.kill('SIGKILL');
      await exited;
    },
    restart: async () => {
      running = await startRealTemporalServer(options);
    },
    stop: async () => {
      await running.stop();
      for (const database of Object.values(options.databases)) {
        await dropDatabase(admin.toString(), database).catch(() => undefined);
      }
    },
  };
}
