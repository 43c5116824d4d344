import { Client } from 'pg';

/** One query against the run's database, as its owner (tests read what the application wrote). */
export async function queryRows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
