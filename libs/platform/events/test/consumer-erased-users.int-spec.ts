import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { sql } from '@oo/db';
import { Registry } from 'prom-client';
import { createEventsMetrics, eraseUserEventState, startConsumer, type EventsMetrics, type RunningConsumer } from '../src';
import { lockUserForEvents } from '../src/erased-users';
import { eventsDb } from '../src/events.tables';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

// Proof: once a user is erased from a schema, that schema's consumers record the user's late
// events and ack them without running the handler — except a consumer that asks to see them
// (the deletion request handler, so a repeated request still gets its receipt).
const PLAIN = 'erased__noted';
const RECEIPTS = 'erased__receipts';

async function outcomes(metrics: EventsMetrics, durable: string): Promise<Record<string, number>> {
  const { values } = await metrics.consumed.get();
  return Object.fromEntries(values.filter((v) => v.labels.consumer === durable).map((v) => [String(v.labels.outcome), v.value]));
}

describe('events about erased users', () => {
  let fx: EventsFixture;
  const metrics = createEventsMetrics(new Registry());
  const consumers: RunningConsumer[] = [];

  const start = async (durable: string, applyToErasedUsers?: boolean) => {
    const consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable,
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      metrics,
      applyToErasedUsers,
      handler: async (trx, event) => {
        await trx.insertInto('applied').values({ event_id: event.id, user_key: event.userId ?? null, value: durable }).execute();
      },
    });
    consumers.push(consumer);
  };

  beforeAll(async () => {
    fx = await createEventsFixture('erased', [testConsumer(PLAIN, 'signals.test.noted'), testConsumer(RECEIPTS, 'signals.test.noted')]);
    await fx.db.transaction().execute((trx) => eraseUserEventState(trx, 'u-gone'));
    await start(PLAIN);
    await start(RECEIPTS, true);
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await fx.close();
  });

  it("acks an erased user's event unhandled, and still hands it to a consumer that applies to erased users", async () => {
    const gone = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'late' }), { userId: 'u-gone' });
    const kept = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'fresh' }), { userId: 'u-kept' });
    await fx.bus.publish(gone);
    await fx.bus.publish(kept);

    const finished = async (durable: string) => Object.values(await outcomes(metrics, durable)).reduce((a, b) => a + b, 0) === 2;
    await waitFor('both consumers to finish both events', async () => (await finished(PLAIN)) && (await finished(RECEIPTS)));

    expect(await outcomes(metrics, PLAIN)).toEqual({ erased: 1, processed: 1 });
    expect(await outcomes(metrics, RECEIPTS)).toEqual({ processed: 2 });
    const applied = await fx.applied();
    expect(applied.filter((a) => a.value === PLAIN).map((a) => a.user_key)).toEqual(['u-kept']);
    expect(applied.filter((a) => a.value === RECEIPTS).map((a) => a.user_key).sort()).toEqual(['u-gone', 'u-kept']);
    // Recorded all the same, so a replay is a duplicate.
    const { rows } = await sql`select 1 from event_inbox where consumer = ${PLAIN} and event_id = ${gone.headers['ce-id'] ?? ''}`.execute(fx.db);
    expect(rows).toHaveLength(1);
  });

  it('waits for an erasure in flight and then treats the event as erased, so nothing outlives it', async () => {
    let commitErasure: () => void = () => undefined;
    const erasureHolds = new Promise<void>((resolve) => (commitErasure = resolve));
    let lockTaken: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => (lockTaken = resolve));
    // An erasure that has begun but not committed: it holds the user's lock exclusively.
    const erasure = fx.db.transaction().execute(async (trx) => {
      await lockUserForEvents(eventsDb<unknown>(trx as never), 'u-racing', true);
      await eraseUserEventState(trx, 'u-racing');
      lockTaken();
      await erasureHolds;
    });
    await locked;
    const before = await outcomes(metrics, PLAIN);
    await fx.bus.publish(codec.encode('signals.test.noted', create(StringValueSchema, { value: 'racing' }), { userId: 'u-racing' }));
    // The handler waits on the lock instead of writing rows the erasure would not see.
    await new Promise((r) => setTimeout(r, 500));
    expect((await fx.applied()).some((a) => a.user_key === 'u-racing')).toBe(false);
    commitErasure();
    await erasure;
    await waitFor('the racing event to finish', async () => ((await outcomes(metrics, PLAIN))['erased'] ?? 0) > (before['erased'] ?? 0));
    expect((await fx.applied()).filter((a) => a.value === PLAIN && a.user_key === 'u-racing')).toEqual([]);
  });
});
