import { sql } from 'kysely';
import { createDb } from '../src/create-db';
import { createTestSchema, type TestSchema } from '@oo/testing';

// The real Postgres: which statements end up prepared on a connection, and that nothing else changes.
describe('prepared statements', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema('db_prepared');
  });
  afterAll(() => schema.drop());

  const prepared = (db: ReturnType<typeof createDb>) =>
    db.connection().execute(async (conn) => {
      for (let i = 0; i < 3; i++) await sql`select ${i}::int + 1 as n`.execute(conn);
      await sql`select ${'once'}::text as t`.execute(conn);
      await sql`select 1 as a; select 2 as b`.execute(conn).catch(() => undefined);
      const rows = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(conn);
      return rows.rows.map((r) => r.statement);
    });

  it('prepares a parameterised statement from its second use, never a one-off, and not with 0', async () => {
    const db = createDb({ url: schema.url, schema: schema.schema, poolMax: 1 });
    try {
      expect(await prepared(db)).toEqual(['select $1::int + 1 as n']);
      // Results are unchanged, whatever the protocol.
      expect((await sql<{ n: number }>`select ${41}::int + 1 as n`.execute(db)).rows).toEqual([{ n: 42 }]);
    } finally {
      await db.destroy();
    }
    const off = createDb({ url: schema.url, schema: schema.schema, poolMax: 1, preparedStatements: 0 });
    try {
      expect(await prepared(off)).toEqual([]);
    } finally {
      await off.destroy();
    }
  });

  it('keeps at most the configured number per connection, and a failed parse does not poison the name', async () => {
    const db = createDb({ url: schema.url, schema: schema.schema, poolMax: 1, preparedStatements: 2 });
    try {
      await db.connection().execute(async (conn) => {
        const missing = () => sql`select * from ${sql.table('nope')} where x = ${1}`.execute(conn).then(() => 'ran', (err: Error) => err.message);
        // The second try is the named one; its parse fails, and the third parses again rather than
        // finding a statement that was never made.
        expect([await missing(), await missing(), await missing()]).toEqual(Array(3).fill('relation "nope" does not exist'));
        for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) await sql.raw(`select $1::int + ${k} as n`).execute(conn).catch(() => undefined);
      });
      expect((await sql<{ n: number }>`select ${1}::int + 1 as n`.execute(db)).rows).toEqual([{ n: 2 }]);
      const count = await sql<{ n: string }>`select count(*) as n from pg_prepared_statements`.execute(db);
      expect(Number(count.rows[0]?.n)).toBeLessThanOrEqual(2);
    } finally {
      await db.destroy();
    }
  });

  it('runs a statement again unnamed when a migration changed what its prepared plan returns', async () => {
    const db = createDb({ url: schema.url, schema: schema.schema, poolMax: 1 });
    try {
      await sql`create table widened (id int primary key)`.execute(db);
      await sql`insert into widened values (1)`.execute(db);
      const read = () => sql<Record<string, unknown>>`select * from widened where id = ${1}`.execute(db).then((r) => r.rows);
      await read();
      await read();
      await sql`alter table widened add column label text default 'new'`.execute(db);
      expect(await read()).toEqual([{ id: 1, label: 'new' }]);
      expect(await read()).toEqual([{ id: 1, label: 'new' }]);
    } finally {
      await db.destroy();
    }
  });
});
