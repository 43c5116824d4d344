import { Pool } from 'pg';

export const BENCH_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_rows (key text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`;

/** The bench workflows' one activity: an idempotent single-row insert, as production projections do. */
export function createBenchActivities(pool: Pool) {
  return {
    async recordRow(key: string): Promise<void> {
      await pool.query('INSERT INTO bench_rows (key) VALUES ($1) ON CONFLICT (key) DO NOTHING', [key]);
    },
  };
}

export type BenchActivities = ReturnType<typeof createBenchActivities>;
