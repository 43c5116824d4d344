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
