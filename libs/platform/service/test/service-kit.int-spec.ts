import { join } from 'node:path';
import { createDb, migrateToLatest, type Kysely } from '@oo/db';
import { connectJetStreamBus, provision } from '@oo/events';
import { createTestAuth, createTestSchema, deleteStreamsWithPrefix, eventually, startPrivateNatsServer, testNatsUrl, uniqueStreamPrefix, type PrivateNatsServer, type TestSchema } from '@oo/testing';
import { startService } from '../src';
import { PINGED_CONSUMER, pingDefinitions, pingService, releaseHeld, type PingDatabase } from './kit-fixture';
import { sql } from '@oo/db';

const ROOT = join(__dirname, '../../../..');

async function env(target: TestSchema, natsUrl: string, prefix: string): Promise<Record<string, string>> {
  const auth = await createTestAuth();
  return { PORT: '0', DATABASE_URL: target.url, DB_SCHEMA: target.schema, NATS_URL: natsUrl, STREAM_PREFIX: prefix, AUTH_ISSUER: auth.issuer, AUTH_JWKS: auth.jwks, LOG_LEVEL: 'silent' };
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
};

describe('the service kit', () => {
  let target: TestSchema;
  let db: Kysely<PingDatabase>;

  beforeAll(async () => {
    target = await createTestSchema('service-kit');
    db = createDb<PingDatabase>({ url: target.url, schema: target.schema });
    await migrateToLatest(db, { schema: target.schema, migrations: pingService.migrations });
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  it('refuses to start when the subscription table disagrees with deploy/nats, naming each difference', async () => {
    const other = { ...PINGED_CONSUMER, durable: 'gateway__other', filterSubject: 'signals.test.other' };
    const defs = await pingDefinitions(ROOT, [{ ...PINGED_CONSUMER, filterSubject: 'signals.test.pung' }, other]);
    try {
      const start = startService(pingService, { env: await env(target, testNatsUrl(), 't_unused'), natsDefinitionsDir: defs.dir });
      await expect(start).rejects.toMatchObject({ code: 'SERVICE_SUBSCRIPTIONS_MISMATCH' });
      await expect(start).rejects.toThrow(/gateway__pinged filters signals\.test\.pung .* subscribes signals\.test\.pinged/);
      await expect(start).rejects.toThrow(/gateway__other \(signals\.test\.other\) is declared .* no handler/);
    } finally {
      defs.remove();
    }
  });

  it('serves, publishes through the outbox, consumes, and exports HTTP, events, pool and process metrics at /metrics', async () => {
    const prefix = uniqueStreamPrefix('service-kit');
    const defs = await pingDefinitions(ROOT, [PINGED_CONSUMER]);
    const admin = await connectJetStreamBus({ servers: testNatsUrl(), prefix });
    await provision(admin.jsm, defs.definitions, { prefix });
    const running = await startService(pingService, { env: await env(target, testNatsUrl(), prefix), natsDefinitionsDir: defs.dir });
    try {
      expect((await fetch(`${running.url}/pings/p1`, { method: 'POST' })).status).toBe(202);
      await eventually(async () => ((await get(`${running.url}/pongs`)).text.includes('p1') ? true : undefined), 'the pong');
      // The backlog gauges are refreshed at most once a second; the lag gauge on every delivery.
      const metrics = await eventually(async () => {
        const text = (await get(`${running.url}/metrics`)).text;
        return text.includes('oo_events_outbox_oldest_age_seconds{') ? text : undefined;
      }, 'the outbox gauges');
      expect(metrics).toMatch(/oo_events_consumer_pending\{[^}]*consumer="[^"]+"[^}]*\} 0/);
      for (const series of ['http_request_duration_seconds_bucket', 'oo_events_published_total', 'oo_events_consumed_total', 'oo_events_outbox_backlog', 'oo_db_pool_connections{pool="http",state="max"', 'oo_db_pool_connections{pool="consumers"', 'process_cpu_user_seconds_total']) {
        expect(metrics).toContain(series);
      }
      expect(JSON.parse((await get(`${running.url}/readyz`)).text)).toMatchObject({ status: 'ready' });
    } finally {
      await running.stop();
      await deleteStreamsWithPrefix(admin.jsm, prefix);
      await admin.drain();
      defs.remove();
    }
    expect(running.ctx.stopped).toEqual(['own step']);
  });

  it('keeps HTTP answering while consumers hold every connection of their own pool', async () => {
    const prefix = uniqueStreamPrefix('service-kit-pools');
    const defs = await pingDefinitions(ROOT, [PINGED_CONSUMER]);
    const admin = await connectJetStreamBus({ servers: testNatsUrl(), prefix });
    await provision(admin.jsm, defs.definitions, { prefix });
    const base = await env(target, testNatsUrl(), prefix);
    const running = await startService(pingService, { env: { ...base, DB_CONSUMER_POOL_MAX: '2', DB_POOL_MAX: '2', CONSUMER_CONCURRENCY: '8' }, natsDefinitionsDir: defs.dir });
    try {
      for (const id of ['hold-1', 'hold-2', 'hold-3', 'hold-4']) expect((await fetch(`${running.url}/pings/${id}`, { method: 'POST' })).status).toBe(202);
      // Two handlers hold both consumer connections in open transactions; two more wait for one.
      const busy = () => sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = 'gateway-consumers' and state like 'idle in transaction%'`.execute(db);
      await eventually(async () => ((await busy()).rows[0]?.n === 2 ? true : undefined), 'the consumer pool to be taken');
      for (let i = 0; i < 5; i++) expect((await get(`${running.url}/pongs`)).status).toBe(200);
    } finally {
      releaseHeld();
      await running.stop();
      await deleteStreamsWithPrefix(admin.jsm, prefix);
      await admin.drain();
      defs.remove();
    }
  });

  describe('with the broker down', () => {
    let nats: PrivateNatsServer;
    beforeAll(async () => {
      nats = await startPrivateNatsServer();
      await nats.kill();
    });
    afterAll(() => nats.stop());

    it('starts, serves HTTP, reports the broker as degraded, buffers in the outbox and catches up when the broker comes', async () => {
      const prefix = uniqueStreamPrefix('service-kit-down');
      const defs = await pingDefinitions(ROOT, [PINGED_CONSUMER]);
      const running = await startService(pingService, { env: await env(target, nats.url, prefix), natsDefinitionsDir: defs.dir });
      try {
        const ready = await get(`${running.url}/readyz`);
        expect(ready.status).toBe(200);
        expect(JSON.parse(ready.text)).toMatchObject({ status: 'degraded', degraded: expect.arrayContaining(['nats']) });
        expect((await fetch(`${running.url}/pings/while-down`, { method: 'POST' })).status).toBe(202);
        expect((await get(`${running.url}/pongs`)).text).not.toContain('while-down');

        await nats.start();
        const admin = await connectJetStreamBus({ servers: nats.url, prefix });
        await provision(admin.jsm, defs.definitions, { prefix });
        await admin.drain();
        await eventually(async () => ((await get(`${running.url}/pongs`)).text.includes('while-down') ? true : undefined), 'the buffered ping to be consumed', 30_000, 100);
        await eventually(async () => (JSON.parse((await get(`${running.url}/readyz`)).text).status === 'ready' ? true : undefined), 'readiness to recover', 30_000, 100);
      } finally {
        await running.stop();
        defs.remove();
      }
    });
  });
});
