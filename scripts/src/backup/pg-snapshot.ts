import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { Client } from 'pg';
import { BackupFile, hashedFile } from './files';

/**
 * A PostgreSQL database as data only: every table's rows, in one snapshot, as the server's own text form of each
 * row (`t::text`), which converts back exactly for every type (bytea as hex, timestamps with their zone, jsonb…).
 * The schema is not in it: a restore makes the schema with the release's own tools (our migrations, Temporal's
 * temporal-sql-tool) and checks that every table has the columns it had. Node and `pg` only, so a backup needs
 * no pg_dump of a matching version (the embedded PostgreSQL of `npm start` ships none).
 */
export interface DatabaseSnapshot {
  /** The server's version, for the manifest. */
  serverVersion: string;
  tables: TableSnapshot[];
  /** Every sequence's position (null: never used). */
  sequences: Array<{ name: string; lastValue: string | null }>;
}

export interface TableSnapshot {
  /** `schema.table`, each part as the catalog spells it. */
  name: string;
  /** The columns a row's text form carries, in order (generated ones included: the restore leaves those out). */
  columns: string[];
  rows: number;
  file: BackupFile;
}

/** Rows fetched and written at a time: bounded memory for any table size. */
const FETCH_ROWS = 2_000;
/** Rows inserted per statement on restore. */
const INSERT_ROWS = 1_000;

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
/** `schema.table` (the schema never has a dot; a table name may). */
const qualified = (name: string) => {
  const dot = name.indexOf('.');
  return `${quote(name.slice(0, dot))}.${quote(name.slice(dot + 1))}`;
};

/**
 * Writes every table of `url` under `dir` (one gzip'd JSON-lines file per table, each line one row's text) from
 * one REPEATABLE READ snapshot, so the tables agree with each other as pg_dump's would.
 */
export async function dumpDatabase(
  url: string,
  dir: string,
  progress: (table: string, rows: number) => void = () => undefined,
): Promise<DatabaseSnapshot> {
  await mkdir(dir, { recursive: true });
  const client = new Client({ connectionString: url, application_name: 'county-backup' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const serverVersion = (await client.query<{ v: string }>('SHOW server_version')).rows[0].v;
    const tables: TableSnapshot[] = [];
    for (const table of await listTables(client)) {
      const columns = await columnsOf(client, table.name, { withGenerated: true });
      const file = path.join(dir, `${table.name}.jsonl.gz`);
      const gzip = createGzip();
      const out = gzip.pipe(createWriteStream(file, { flags: 'wx' }));
      let rows = 0;
      await client.query(
        `DECLARE snapshot_rows NO SCROLL CURSOR FOR SELECT t::text AS r FROM ONLY ${qualified(table.name)} t`,
      );
      for (;;) {
        const batch = await client.query<{ r: string }>(`FETCH FORWARD ${FETCH_ROWS} FROM snapshot_rows`);
        if (batch.rows.length === 0) break;
        const chunk = batch.rows.map((row) => `${JSON.stringify(row.r)}\n`).join('');
        if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
        rows += batch.rows.length;
        progress(table.name, rows);
      }
      await client.query('CLOSE snapshot_rows');
      gzip.end();
      await finished(out);
      tables.push({ name: table.name, columns, rows, file: await hashedFile(dir, file) });
    }
    const sequences = (
      await client.query<{ name: string; last_value: string | null }>(
        `SELECT schemaname || '.' || sequencename AS name, last_value::text FROM pg_sequences ORDER BY 1`,
      )
    ).rows.map((row) => ({ name: row.name, lastValue: row.last_value }));
    await client.query('COMMIT');
    return { serverVersion, tables, sequences };
  } finally {
    await client.end();
  }
}

/**
 * Loads a snapshot into `url`, whose schema the release's tools have just made: in one transaction, every table is
 * emptied and filled from the backup, the sequences are set, and each table's row count is checked against the
 * manifest. Triggers are off while it runs (session_replication_role = replica: the rows are already what the
 * triggers produced, and the foreign keys held when they were read), which needs a superuser. A failure rolls
 * everything back: the database is left as the schema tools made it.
 */
export async function loadDatabase(
  url: string,
  dir: string,
  snapshot: DatabaseSnapshot,
  options: {
    /** Statements run after the rows are in, in the same transaction (e.g. a name the rows carry of their database). */
    fixups?: string[];
    progress?: (table: string, rows: number) => void;
  } = {},
): Promise<void> {
  const progress = options.progress ?? (() => undefined);
  const client = new Client({ connectionString: url, application_name: 'county-restore' });
  await client.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL session_replication_role = replica');
    } catch (error) {
      throw new Error(
        `恢复需要 PostgreSQL 超级用户（要在载入时关闭触发器，session_replication_role）：${(error as Error).message}`,
      );
    }
    await assertSameTables(client, snapshot);
    const all = (await listTables(client)).map((table) => qualified(table.name));
    if (all.length > 0) await client.query(`TRUNCATE ${all.join(', ')} RESTART IDENTITY`);
    // Indexes no constraint needs are built once after the load, as pg_restore does, instead of row by row (9% of
    // the load's time at 100,000 assignments: BENCHMARKS.md, "Backup and restore").
    const deferred = await deferrableIndexes(client);
    for (const index of deferred) await client.query(`DROP INDEX ${index.name}`);
    for (const table of snapshot.tables) {
      const insertable = await columnsOf(client, table.name, { withGenerated: false });
      const list = insertable.map(quote).join(', ');
      const picks = insertable.map((column) => `(x.row).${quote(column)}`).join(', ');
      // MATERIALIZED: each row's text is parsed once; a plain subquery is inlined and parsed once per column.
      const insert =
        `WITH x AS MATERIALIZED (SELECT r::${qualified(table.name)} AS row FROM unnest($1::text[]) AS r) ` +
        `INSERT INTO ${qualified(table.name)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${picks} FROM x`;
      let batch: string[] = [];
      let loaded = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await client.query(insert, [batch]);
        loaded += batch.length;
        batch = [];
        progress(table.name, loaded);
      };
      const lines = createInterface({ input: createReadStream(path.join(dir, table.file.path)).pipe(createGunzip()) });
      for await (const line of lines) {
        if (line === '') continue;
        batch.push(JSON.parse(line) as string);
        if (batch.length >= INSERT_ROWS) await flush();
      }
      await flush();
      const count = Number(
        (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${qualified(table.name)}`)).rows[0].n,
      );
      if (count !== table.rows) {
        throw new Error(`表 ${table.name} 载入了 ${count} 行，清单记的是 ${table.rows} 行：备份不完整，未恢复`);
      }
    }
    for (const sequence of snapshot.sequences) {
      if (sequence.lastValue === null) continue;
      await client.query('SELECT setval($1::regclass, $2::bigint, true)', [
        qualified(sequence.name),
        sequence.lastValue,
      ]);
    }
    for (const index of deferred) await client.query(index.definition);
    for (const statement of options.fixups ?? []) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** True when `url` has no tables yet (a fresh database, or none made by any release). */
export async function isEmptyDatabase(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, application_name: 'county-restore' });
  await client.connect();
  try {
    return (await listTables(client)).length === 0;
  } finally {
    await client.end();
  }
}

/** A release's schema must match the backup's table for table and column for column, or nothing is loaded. */
async function assertSameTables(client: Client, snapshot: DatabaseSnapshot): Promise<void> {
  const present = new Map<string, string[]>();
  for (const table of await listTables(client)) {
    present.set(table.name, await columnsOf(client, table.name, { withGenerated: true }));
  }
  const problems: string[] = [];
  for (const table of snapshot.tables) {
    const columns = present.get(table.name);
    if (!columns) problems.push(`缺少表 ${table.name}`);
    else if (columns.join(',') !== table.columns.join(',')) {
      problems.push(`表 ${table.name} 的列不同（备份：${table.columns.join(', ')}；现在：${columns.join(', ')}）`);
    }
  }
  const backedUp = new Set(snapshot.tables.map((table) => table.name));
  for (const name of present.keys()) if (!backedUp.has(name)) problems.push(`多出表 ${name}`);
  if (problems.length > 0) {
    throw new Error(
      `数据库结构与备份不一致，未恢复：${problems.join('；')}。请用做备份时的版本恢复，再运行 npm run migrate 升级`,
    );
  }
}

/** The indexes that back no constraint (primary keys and unique constraints stay), with how to make them again. */
async function deferrableIndexes(client: Client): Promise<Array<{ name: string; definition: string }>> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT format('%I.%I', n.nspname, ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 1`,
  );
  return rows;
}

async function listTables(client: Client): Promise<Array<{ name: string }>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      ORDER BY 1`,
  );
  return rows;
}

async function columnsOf(client: Client, table: string, options: { withGenerated: boolean }): Promise<string[]> {
  const { rows } = await client.query<{ attname: string }>(
    `SELECT attname FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND ($2 OR attgenerated = '')
      ORDER BY attnum`,
    [qualified(table), options.withGenerated],
  );
  return rows.map((row) => row.attname);
}
