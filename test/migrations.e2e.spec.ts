import { Client } from 'pg';
import { createDataSource, runMigrations, MIGRATIONS } from '@county/persistence';

/** Runs against a scratch database on the run's PostgreSQL server so the shared test database is untouched. */
describe('migrations', () => {
  const name = `county_migrations_${process.pid}_${Date.now()}`;
  const serverUrl = new URL(process.env.DATABASE_URL!);
  const adminUrl = Object.assign(new URL(serverUrl), { pathname: '/postgres' }).toString();
  const scratchUrl = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();

  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(() => admin(`CREATE DATABASE "${name}"`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it('apply from empty, revert completely, and apply again; concurrent runs do not collide', async () => {
    const dataSource = await createDataSource({ url: scratchUrl }).initialize();
    const other = await createDataSource({ url: scratchUrl }).initialize();
    try {
      const [first, second] = await Promise.all([runMigrations(dataSource), runMigrations(other)]);
      expect([...first, ...second].sort()).toEqual(MIGRATIONS.map((migration) => new migration().name).sort());

      for (let i = 0; i < MIGRATIONS.length; i += 1) await dataSource.undoLastMigration();
      const tables = await dataSource.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
      );
      expect(tables).toEqual([]);

      expect(await runMigrations(dataSource)).toHaveLength(MIGRATIONS.length);
    } finally {
      await Promise.all([dataSource.destroy(), other.destroy()]);
    }
  });
});
