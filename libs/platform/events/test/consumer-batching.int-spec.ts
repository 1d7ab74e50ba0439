import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { sql } from 'kysely';
import { startConsumer, type RunningConsumer } from '../src';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

// Group commit: events that arrive while the consumer's transactions run are handled together in
// the next one, and one failing event costs the others of its batch nothing but a second try.
describe('batched consumption', () => {
  let fx: EventsFixture;
  let consumer: RunningConsumer;
  const transactions = new Map<string, string>();
  let failedOnce = false;

  beforeAll(async () => {
    fx = await createEventsFixture('batching', [testConsumer('batching__noted', 'signals.test.noted')]);
    consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'batching__noted',
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      concurrency: 16,
      backoffMs: [100],
      handler: async (trx, event) => {
        // Slow enough that the next events arrive while this transaction runs.
        const { rows } = await sql<{ txid: string }>`select txid_current()::text as txid, pg_sleep(0.02)`.execute(trx);
        await trx.insertInto('applied').values({ event_id: event.id, user_key: event.userId, value: event.message.value }).execute();
        if (event.message.value === 'flaky' && !failedOnce) {
          failedOnce = true;
          throw new Error('fails on its first try');
        }
        transactions.set(event.message.value, rows[0]?.txid ?? '');
      },
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await fx.close();
  });

  it('handles events that arrive together in fewer transactions, each exactly once, whatever fails beside them', async () => {
    const values = Array.from({ length: 40 }, (_, i) => (i === 20 ? 'flaky' : `v${i}`));
    for (const [i, value] of values.entries()) {
      await fx.bus.publish(codec.encode('signals.test.noted', create(StringValueSchema, { value }), { userId: `u${i}` }));
    }
    await waitFor('every event applied', async () => (await fx.applied()).length === values.length && transactions.size === values.length);
    const applied = await fx.applied();
    // The rolled-back try of the flaky event and of its batch left nothing behind.
    expect(applied.map((a) => a.value).sort()).toEqual([...values].sort());
    expect(new Set(transactions.values()).size).toBeLessThan(values.length / 2);
    expect(failedOnce).toBe(true);
  });
});

// The linger: events that trickle in, each committed before the next arrives, still share transactions.
describe('batched consumption with a linger', () => {
  let fx: EventsFixture;
  let consumer: RunningConsumer;
  const transactions = new Map<string, string>();

  beforeAll(async () => {
    fx = await createEventsFixture('batching_linger', [testConsumer('lingering__noted', 'signals.test.noted')]);
    consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'lingering__noted',
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      concurrency: 16,
      batchLingerMs: 200,
      handler: async (trx, event) => {
        const { rows } = await sql<{ txid: string }>`select txid_current()::text as txid`.execute(trx);
        await trx.insertInto('applied').values({ event_id: event.id, user_key: event.userId, value: event.message.value }).execute();
        transactions.set(event.message.value, rows[0]?.txid ?? '');
      },
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await fx.close();
  });

  it('holds the first event of a batch for the ones that follow it', async () => {
    const values = Array.from({ length: 12 }, (_, i) => `t${i}`);
    for (const [i, value] of values.entries()) {
      await fx.bus.publish(codec.encode('signals.test.noted', create(StringValueSchema, { value }), { userId: `u${i}` }));
      // Far longer than one event's transaction takes, far shorter than the linger.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await waitFor('every event applied', async () => (await fx.applied()).length === values.length && transactions.size === values.length);
    expect(new Set(transactions.values()).size).toBeLessThanOrEqual(4);
  });
});
