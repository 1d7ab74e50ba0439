import type { Express } from 'express';
import request from 'supertest';
import { createBaseApp, finishApp, Readiness } from '../src';
import { createLogger } from '@oo/logger';
import { createTestSchema, type TestSchema } from '@oo/testing';
import { createDb, inTransaction, sql, type Kysely } from '@oo/db';

// A route that needs the database, as any service's router does.
function appOver(db: Kysely<unknown>): Express {
  const app = createBaseApp({ service: 'db-test', log: createLogger({ service: 'db-test', level: 'silent' }), readiness: new Readiness(), metrics: false });
  app.get('/now', async (_req, res) => {
    const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
    res.json({ now: rows[0]?.now });
  });
  app.get('/slow', async (_req, res) => {
    await sql`select pg_sleep(2)`.execute(db);
    res.json({ slept: true });
  });
  return finishApp(app);
}

// Holds one pooled connection until the returned function is called.
async function holdConnection(db: Kysely<unknown>): Promise<() => Promise<void>> {
  let release!: () => void;
  let held!: () => void;
  const gotIt = new Promise<void>((r) => (held = r));
  const done = db.connection().execute(async (conn) => {
    await sql`select 1`.execute(conn);
    held();
    await new Promise<void>((r) => (release = r));
  });
  await gotIt;
  return async () => {
    release();
    await done;
  };
}

describe('createDb pool limits', () => {
  let target: TestSchema;
  const opened: Kysely<unknown>[] = [];
  const open = (config: Partial<Parameters<typeof createDb>[0]> = {}) => {
    const db = createDb<unknown>({ url: target.url, schema: target.schema, ...config });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    target = await createTestSchema('db-pool-limits');
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()));
    await target.drop();
  });

  it('sets a statement and an idle-in-transaction timeout on every connection: 15 s and 30 s unless configured', async () => {
    const settings = sql<{ statement: string; idle: string }>`
      select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`;
    const byDefault = open({ poolMax: 2 });
    const release = await holdConnection(byDefault); // so the next query runs on a second connection
    expect((await settings.execute(byDefault)).rows[0]).toEqual({ statement: '15s', idle: '30s' });
    await release();
    const configured = open({ statementTimeoutMs: 1_500, idleInTransactionTimeoutMs: 0 });
    expect((await settings.execute(configured)).rows[0]).toEqual({ statement: '1500ms', idle: '0' });
  });

  it('cancels a statement that runs past the timeout', async () => {
    const db = open({ statementTimeoutMs: 100 });
    await expect(sql`select pg_sleep(2)`.execute(db)).rejects.toMatchObject({ code: '57014' });
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it('ends a transaction left idle past the timeout, and the pool goes on', async () => {
    const db = open({ idleInTransactionTimeoutMs: 100, poolMax: 1 });
    await expect(
      inTransaction(db, async (trx) => {
        await sql`select 1`.execute(trx);
        await new Promise((r) => setTimeout(r, 600));
        await sql`select 2`.execute(trx);
      }),
    ).rejects.toThrow();
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it('answers 503 with Retry-After when no connection is free within the wait, and 200 once one is', async () => {
    const db = open({ poolMax: 1, connectionTimeoutMs: 200 });
    const app = appOver(db);
    const release = await holdConnection(db);
    try {
      const res = await request(app).get('/now').expect(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toMatchObject({ status: 503, code: 'DATABASE_BUSY' });
    } finally {
      await release();
    }
    await request(app).get('/now').expect(200);
  });

  it('answers a statement timeout with 503 and Retry-After', async () => {
    const res = await request(appOver(open({ statementTimeoutMs: 100 }))).get('/slow').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.code).toBe('DATABASE_BUSY');
  });

  it('answers 503 with Retry-After while the database cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const away = createDb<unknown>({ url: 'postgres://postgres@127.0.0.1:1/test', schema: target.schema, connectionTimeoutMs: 1_000 });
    opened.push(away);
    const res = await request(appOver(away)).get('/now').expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.code).toBe('DEPENDENCY_UNAVAILABLE');
  });
});
