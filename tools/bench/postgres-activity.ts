import pg from 'pg';

/** Cumulative work of one database's backends (pg_stat_database) and of the tables in some schemas. */
export interface PostgresActivity {
  commits: number;
  rollbacks: number;
  inserted: number;
  updated: number;
  deleted: number;
  /** Per table `service.table`: sequential scans and the rows they read. */
  seqScans: Map<string, { scans: number; rows: number }>;
}

/**
 * Reads the counters now; compare two readings taken around a load. Postgres publishes a backend's
 * counts when its transaction ends (at most a second late), so the load should run for many seconds.
 */
export async function readPostgresActivity(databaseUrl: string, schemaPrefix: string): Promise<PostgresActivity> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Counters flushed by other backends become visible to a new snapshot of the statistics.
    await client.query('select pg_stat_clear_snapshot()');
    const db = await client.query<{ c: string; r: string; i: string; u: string; d: string }>(
      `select xact_commit c, xact_rollback r, tup_inserted i, tup_updated u, tup_deleted d from pg_stat_database where datname = current_database()`,
    );
    const tables = await client.query<{ name: string; scans: string; rows: string }>(
      `select schemaname || '.' || relname as name, seq_scan scans, seq_tup_read rows from pg_stat_user_tables where schemaname like $1`,
      [`${schemaPrefix}%`],
    );
    const row = db.rows[0];
    return {
      commits: Number(row?.c),
      rollbacks: Number(row?.r),
      inserted: Number(row?.i),
      updated: Number(row?.u),
      deleted: Number(row?.d),
      // `<prefix>_<service>.<table>` is shown as `<service>.<table>`.
      seqScans: new Map(tables.rows.map((t) => [t.name.slice(schemaPrefix.length + 1), { scans: Number(t.scans), rows: Number(t.rows) }])),
    };
  } finally {
    await client.end();
  }
}

/** One line per decision: commits and row changes, and the tables sequentially scanned the most. */
export function describePostgresActivity(before: PostgresActivity, after: PostgresActivity, decisions: number): string {
  const per = (a: number, b: number) => ((b - a) / decisions).toFixed(1);
  const scans = [...after.seqScans]
    .map(([name, s]) => ({ name, scans: s.scans - (before.seqScans.get(name)?.scans ?? 0), rows: s.rows - (before.seqScans.get(name)?.rows ?? 0) }))
    .filter((s) => s.scans > 0)
    .sort((a, b) => b.rows - a.rows)
    .slice(0, 4)
    .map((s) => `${s.name} ${(s.scans / decisions).toFixed(2)} scans/${(s.rows / decisions).toFixed(0)} rows`);
  return (
    `  Postgres per decision: ${per(before.commits, after.commits)} commits, ${per(before.rollbacks, after.rollbacks)} rollbacks, ` +
    `${per(before.inserted, after.inserted)} inserts, ${per(before.updated, after.updated)} updates, ${per(before.deleted, after.deleted)} deletes; ` +
    `sequential scans: ${scans.join(', ') || 'none'}`
  );
}
