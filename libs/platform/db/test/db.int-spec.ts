import { sql, type Generated, type Kysely } from 'kysely';
import { createTestSchema, type TestSchema } from '@oo/testing';
import { createDb, DbError, inTransaction, isDbReachable, migrateDown, migrateToLatest, type MigrationSet } from '../src';

interface Database {
  note: { id: Generated<number>; text: string };
}

const migrations: MigrationSet = {
  '2026_11_21_000001_create_note': {
    up: (db) => db.schema.createTable('note').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('text', 'text', (c) => c.notNull()).execute(),
    down: (db) => db.schema.dropTable('note').execute(),
  },
};

describe('db', () => {
  let target: TestSchema;
  let db: Kysely<Database>;
  const poolErrors: Error[] = [];

  beforeAll(async () => {
    target = await createTestSchema('db');
    db = createDb<Database>({ url: target.url, schema: target.schema, poolMax: 2 }, { onPoolError: (e) => poolErrors.push(e) });
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  it('runs migrations into the service schema with a migration table of its own, once', async () => {
    expect(await migrateToLatest(db, { schema: target.schema, migrations })).toEqual(['Up 2026_11_21_000001_create_note']);
    expect(await migrateToLatest(db, { schema: target.schema, migrations })).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = ${target.schema} order by table_name`.execute(db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(['kysely_migration', 'kysely_migration_lock', 'note']);
  });

  it('resolves unqualified table names in the service schema', async () => {
    await db.insertInto('note').values({ text: 'hello' }).execute();
    const row = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${target.schema}.note`)}`.execute(db);
    expect(row.rows[0]?.n).toBe('1');
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await inTransaction(db, (trx) => trx.insertInto('note').values({ text: 'kept' }).execute());
    await expect(
      inTransaction(db, async (trx) => {
        await trx.insertInto('note').values({ text: 'lost' }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const texts = (await db.selectFrom('note').select('text').orderBy('id').execute()).map((r) => r.text);
    expect(texts).toEqual(['hello', 'kept']);
  });

  it('survives Postgres dropping its connections, as on a restart', async () => {
    await sql`select 1`.execute(db); // make sure the pool holds an idle connection
    const killer = createDb<unknown>({ url: target.url, schema: target.schema, poolMax: 1 });
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
              where application_name = ${target.schema} and pid <> pg_backend_pid()`.execute(killer);
    await killer.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(poolErrors.length).toBeGreaterThan(0);
    expect(await isDbReachable(db)).toBe(true);
  });

  it('rolls back with down and rejects an unsafe schema name', async () => {
    expect(await migrateDown(db, { schema: target.schema, migrations, all: true })).toEqual(['Down 2026_11_21_000001_create_note']);
    expect(() => createDb({ url: target.url, schema: 'x; drop table y' })).toThrow(DbError);
  });

  it('reports a failing migration with its name and cause', async () => {
    const broken: MigrationSet = { '2026_11_21_000009_break': { up: async (d) => void (await sql`select nope`.execute(d)) } };
    await expect(migrateToLatest(db, { schema: target.schema, migrations: broken })).rejects.toMatchObject({
      code: 'DB_MIGRATION_FAILED',
      message: expect.stringContaining('2026_11_21_000009_break'),
    });
  });
});
