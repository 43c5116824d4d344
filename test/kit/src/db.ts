import { Client } from 'pg';

/** One query against the run's database (or `databaseUrl`), as its owner: tests read what the application wrote. */
export async function queryRows<T>(
  sql: string,
  params: unknown[] = [],
  databaseUrl = process.env.DATABASE_URL,
): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The notifications about `subjectId`, counted by kind (in kind order). */
export const notificationCounts = (subjectId: string) =>
  queryRows<{ kind: string; n: number }>(
    `SELECT kind, count(*)::int AS n FROM notifications WHERE subject_id = $1 GROUP BY kind ORDER BY kind`,
    [subjectId],
  );
