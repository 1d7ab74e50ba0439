import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { createDb, migrateToLatest, sql, type Kysely } from '@oo/db';
import { startPrivatePostgres, type PrivatePostgres } from '@oo/testing';
import { eventsMigrations, startConsumer, type EventBus, type RunningConsumer } from '../src';
import { codec, createEventsFixture, testConsumer, waitFor, testMigrations, type EventsFixture, type TestDatabase } from './support/events-fixture';

// Proof: a database outage spends no delivery attempts. Time is scaled down: the consumer may
// deliver 4 times with 200 ms between attempts, so the code before this change dead-lettered an
// event within 1–2 s of Postgres going away; the outage lasts OO_DB_OUTAGE_MS (default 8 s, and
// OO_DB_OUTAGE_MS=600000 gives the 10-minute outage that exhausts the production budget). The
// consumer's ack wait is 2 s, so the held deliveries must be kept alive all along.
const OUTAGE_MS = Number(process.env['OO_DB_OUTAGE_MS'] ?? 8_000);
const CONCURRENCY = 2;
const DURABLE = 'dbout__noted';

// Every delivery the broker hands the consumer, as (event id, delivery count).
function recording(bus: EventBus, seen: Array<{ id: string; count: number }>): EventBus {
  return {
    kind: bus.kind,
    publish: (event) => bus.publish(event),
    subscribe: (spec, handler) =>
      bus.subscribe(spec, (d) => {
        seen.push({ id: d.headers['ce-id'] ?? '', count: d.deliveryCount });
        return handler(d);
      }),
    subscribeFanOut: (spec, handler) => bus.subscribeFanOut(spec, handler),
    health: () => bus.health(),
    drain: () => bus.drain(),
  };
}

describe('consumer during a database outage', () => {
  let pg: PrivatePostgres;
  let db: Kysely<TestDatabase>;
  let fx: EventsFixture;
  let consumer: RunningConsumer;
  const seen: Array<{ id: string; count: number }> = [];
  let entered: () => void = () => undefined;
  let proceed: () => void = () => undefined;
  let blocked = false;

  const publishNote = async (value: string, userId: string): Promise<string> => {
    const event = codec.encode('signals.test.noted', create(StringValueSchema, { value }), { userId });
    await fx.bus.publish(event);
    return event.headers['ce-id'] ?? '';
  };
  const applied = () => db.selectFrom('applied').selectAll().orderBy('position').execute();
  const consumerInfo = () => fx.jsm.consumers.info(`${fx.prefix}_SIGNALS`, DURABLE);
  const deadLetters = async () => (await fx.jsm.streams.info(`${fx.prefix}_DEADLETTER`)).state.messages;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    db = createDb<TestDatabase>({ url: pg.url, schema: 'outage', poolMax: 4 });
    await sql`create schema outage`.execute(db);
    await migrateToLatest(db, { schema: 'outage', migrations: { ...eventsMigrations, ...testMigrations } });
    fx = await createEventsFixture('db-outage', [testConsumer(DURABLE, 'signals.test.noted', { maxDeliver: 4, ackWait: 2_000 })]);
    consumer = await startConsumer({
      bus: recording(fx.bus, seen),
      db,
      durable: DURABLE,
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      concurrency: CONCURRENCY,
      backoffMs: [200],
      handler: async (trx, event) => {
        await trx.insertInto('applied').values({ event_id: event.id, user_key: event.userId ?? null, value: event.message.value }).execute();
        if (event.message.value === 'in flight' && !blocked) {
          blocked = true;
          entered();
          await new Promise<void>((resolve) => (proceed = resolve));
        }
      },
    });
  }, 120_000);
  afterAll(async () => {
    await consumer.stop();
    await fx.close();
    await db.destroy();
    await pg.destroy();
  });

  it(
    'holds deliveries while Postgres is down and applies each event once when it is back, none dead-lettered',
    async () => {
      const first = await publishNote('before', 'u-0');
      await waitFor('the first event', async () => (await applied()).some((a) => a.event_id === first));

      // One event is mid-transaction when Postgres goes away; five more arrive during the outage.
      const inFlightEntered = new Promise<void>((resolve) => (entered = resolve));
      const inFlight = await publishNote('in flight', 'u-1');
      await inFlightEntered;
      await pg.stop();
      proceed();
      const during = [];
      for (let i = 2; i <= 6; i++) during.push(await publishNote(`during ${i}`, `u-${i}`));

      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      const held = await consumerInfo();
      expect(await deadLetters()).toBe(0);
      // Nothing redelivered, and no more pulled than there are handler slots.
      expect(held.num_redelivered).toBe(0);
      expect(held.num_ack_pending).toBeLessThanOrEqual(CONCURRENCY);
      expect(held.num_pending).toBeGreaterThanOrEqual(during.length + 1 - CONCURRENCY);

      await pg.start();
      const expected = [first, inFlight, ...during];
      await waitFor('every event to be applied', async () => (await applied()).length >= expected.length, 60_000);
      await waitFor('nothing left pending', async () => {
        const info = await consumerInfo();
        return info.num_pending === 0 && info.num_ack_pending === 0;
      });

      const ids = (await applied()).map((a) => a.event_id);
      expect([...ids].sort()).toEqual([...expected].sort());
      expect(await deadLetters()).toBe(0);
      // Each event was handed over once: the outage cost no delivery attempt.
      expect(seen.map((s) => s.count)).toEqual(expected.map(() => 1));
      expect([...new Set(seen.map((s) => s.id))].sort()).toEqual([...expected].sort());
    },
    OUTAGE_MS + 120_000,
  );
});
