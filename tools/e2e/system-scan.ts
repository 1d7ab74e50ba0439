import pg from 'pg';

/** Where a needle was found: schema, table, column and how many rows. */
export interface Trace {
  at: string;
  rows: number;
}

const TEXTUAL = new Set(['text', 'character varying', 'character', 'uuid', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED']);

/**
 * Every row of every table in the schemas starting with `schemaPrefix` that holds one of the
 * `needles`: in a text-like column (as text, so JSON and arrays too) or inside a bytea column
 * (protobuf payloads, sealed tokens, model checkpoints) as its UTF-8 bytes.
 *
 * @example
 * expect(await tracesOf(databaseUrl, 't_e2e', [userId, email])).toEqual([]);
 */
export async function tracesOf(databaseUrl: string, schemaPrefix: string, needles: readonly string[]): Promise<Trace[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
      `select c.table_schema, c.table_name, c.column_name, c.data_type from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
       where c.table_schema like $1`,
      [`${schemaPrefix}%`],
    );
    const traces: Trace[] = [];
    for (const c of columns) {
      const ref = `"${c.table_schema}"."${c.table_name}"`;
      const col = `"${c.column_name}"`;
      for (const needle of needles) {
        const condition = c.data_type === 'bytea' ? `position(convert_to($1, 'UTF8') in ${col}) > 0` : TEXTUAL.has(c.data_type) ? `${col}::text like '%' || $1 || '%'` : undefined;
        if (!condition) continue;
        const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from ${ref} where ${condition}`, [needle]);
        if ((rows[0]?.n ?? 0) > 0) traces.push({ at: `${c.table_schema}.${c.table_name}.${c.column_name} ∋ ${needle}`, rows: rows[0]?.n ?? 0 });
      }
    }
    return traces;
  } finally {
    await client.end();
  }
}

/** How many tables the scan covers, so a test can show it looked at the whole system. */
export async function tableCount(databaseUrl: string, schemaPrefix: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema like $1 and table_type = 'BASE TABLE'`, [`${schemaPrefix}%`]);
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
