import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { createServer } from 'node:net';
import { createDb, inTransaction, migrateToLatest, sql, type Kysely } from '@oo/db';
import { createTestSchema, startPrivateNatsServer, uniqueStreamPrefix, type PrivateNatsServer, type TestSchema } from '@oo/testing';
import {
  connectJetStreamBus,
  enqueueEvent,
  eventsMigrations,
  provision,
  startConsumer,
  startOutboxRelay,
  validateDefinitions,
  type EventsDatabase,
  type EventsLogger,
  type JetStreamBus,
  type OutboxRelay,
  type RunningConsumer,
} from '../src';
import { codec, testConsumer, waitFor } from './support/events-fixture';

// Proof that a broker outage at start-up is not a service outage: with no NATS server answering,
// the bus is returned at once, publishes fail fast, consumers and the relay start; when the broker
// comes, the bus connects, consumers check their (now provisioned) consumer and pull, and the
// outbox row kept meanwhile is published.
describe('starting while the broker is down', () => {
  const prefix = uniqueStreamPrefix('down');
  const logs: { level: string; obj: object; msg?: string }[] = [];
  const log: EventsLogger = {
    debug: (obj, msg) => logs.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => logs.push({ level: 'error', obj, msg }),
  };
  const received: string[] = [];
  let nats: PrivateNatsServer;
  let testSchema: TestSchema;
  let db: Kysely<EventsDatabase>;
  let bus: JetStreamBus;
  let consumer: RunningConsumer;
  let unprovisioned: RunningConsumer;
  let relay: OutboxRelay;

  const note = (value: string) => codec.encode('signals.test.noted', create(StringValueSchema, { value }));
  const unpublished = async () => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from event_outbox where published_at is null`.execute(db);
    return Number(rows[0]?.n);
  };
  const definitions = validateDefinitions(
    [
      {
        name: 'SIGNALS',
        description: 'broker-down test stream',
        subjects: ['signals.>'],
        storage: 'file',
        maxAge: 3_600_000,
        maxBytes: 64 * 1024 ** 2,
        maxMsgSize: 1024 ** 2,
        duplicateWindow: 120_000,
        replicas: 1,
      },
    ],
    [{ service: 'down', consumers: [testConsumer('down__noted', 'signals.test.noted')] }],
  );

  beforeAll(async () => {
    testSchema = await createTestSchema('down');
    db = createDb<EventsDatabase>({ url: testSchema.url, schema: testSchema.schema });
    await migrateToLatest(db, { schema: testSchema.schema, migrations: eventsMigrations });
    nats = await startPrivateNatsServer();
    await nats.kill();
    bus = await connectJetStreamBus({ servers: nats.url, name: 'down-test', prefix, log, fetchExpiresMs: 1_000, idleHeartbeatMs: 500 });
  });
  afterAll(async () => {
    await Promise.all([consumer?.stop(), unprovisioned?.stop(), relay?.stop()]);
    if (bus?.health().healthy) await bus.jsm.streams.delete(`${prefix}_SIGNALS`).catch(() => false);
    await bus?.drain();
    await nats?.stop();
    await db?.destroy();
    await testSchema?.drop();
  });

  it('returns a bus that reports the broker disconnected and refuses publishes', async () => {
    expect(bus.health()).toEqual({ healthy: false, reason: 'disconnected' });
    expect(() => bus.jsm).toThrow(expect.objectContaining({ code: 'EVENTS_NOT_CONNECTED' }));
    await expect(bus.publish(note('while down'))).rejects.toMatchObject({ code: 'EVENTS_PUBLISH_FAILED' });
  });

  it('starts consumers and the relay anyway; the outbox keeps its row', async () => {
    const options = { bus, db, log, subject: 'signals.test.noted', schema: StringValueSchema } as const;
    consumer = await startConsumer({
      ...options,
      durable: 'down__noted',
      handler: async (_trx, event) => {
        received.push(event.message.value);
      },
    });
    unprovisioned = await startConsumer({ ...options, durable: 'down__never_provisioned', handler: async () => undefined });
    expect(consumer.health()).toMatchObject({ healthy: false, reason: 'disconnected' });

    await inTransaction(db, (trx) => enqueueEvent(trx, codec, 'signals.test.noted', create(StringValueSchema, { value: 'from the outbox' })));
    relay = startOutboxRelay({ db, bus, log, pollMs: 100, databaseUrl: testSchema.url, retryBackoffMs: { min: 100, max: 500 } });
    await waitFor('the relay to fail a round', () => relay.health().consecutiveFailures > 0);
    expect(relay.health().lastError).toMatch(/not connected/);
    expect(await unpublished()).toBe(1);
  });

  it('connects when the broker comes; consumers then receive, and the kept row is published', async () => {
    await nats.start();
    await bus.whenConnected();
    await provision(bus.jsm, definitions, { prefix });
    await waitFor('the bus to be healthy', () => bus.health().healthy);

    await bus.publish(note('after the broker came'));
    await waitFor('the event published after the broker came', () => received.includes('after the broker came'));
    await waitFor('the outbox row to be published', async () => (await unpublished()) === 0);
    await waitFor('the event from the outbox', () => received.includes('from the outbox'));
    await waitFor('the consumer to be healthy', () => consumer.health().healthy);
  });

  it('can be drained before any server answered, ending its attempts', async () => {
    const lonely = await connectJetStreamBus({ servers: `nats://127.0.0.1:${await closedPort()}`, prefix: uniqueStreamPrefix('lonely') });
    const connected = lonely.whenConnected();
    await lonely.drain();
    await expect(connected).rejects.toMatchObject({ code: 'EVENTS_BUS_CLOSED' });
    expect(lonely.health()).toEqual({ healthy: false, reason: 'closed' });
  });

  it('keeps a consumer that was never provisioned unhealthy, saying why, instead of crashing', async () => {
    await waitFor('the unprovisioned consumer to report why', () => /not provisioned/.test(unprovisioned.health().reason ?? ''));
    expect(unprovisioned.health().healthy).toBe(false);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'consumer cannot start', obj: expect.objectContaining({ durable: 'down__never_provisioned' }) }),
    );
  });
});

// A loopback port nothing listens on.
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
