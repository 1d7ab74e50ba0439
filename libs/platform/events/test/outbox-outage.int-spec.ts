import { create } from '@bufbuild/protobuf';
import { Int64ValueSchema } from '@bufbuild/protobuf/wkt';
import { inTransaction } from '@oo/db';
import { enqueueEvent, startConsumer, startOutboxRelay, type OutboxRelay, type RunningConsumer } from '../src';
import { startPrivateNatsServer, type PrivateNatsServer } from '@oo/testing';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

const USERS = ['ada', 'grace', 'edsger', 'barbara', 'donald'];
const EVENTS_PER_USER = 240;
const TOTAL = USERS.length * EVENTS_PER_USER;

// Proof: events written through the outbox while the broker is killed and restarted are all
// published and handled exactly once in their side effects, each user's in order.
describe('outbox under a broker outage', () => {
  let nats: PrivateNatsServer;
  let fx: EventsFixture;
  let relay: OutboxRelay | undefined;
  let consumer: RunningConsumer | undefined;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    fx = await createEventsFixture('outage', [testConsumer('outage__counted', 'signals.test.counted', { maxDeliver: 10 })], {
      natsUrl: nats.url,
    });
  });
  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await fx.close();
    await nats.stop();
  });

  it('delivers every committed event once, in order per user, across a kill and restart', async () => {
    const started = Date.now();
    relay = startOutboxRelay({
      db: fx.db,
      bus: fx.bus,
      databaseUrl: fx.databaseUrl,
      batchSize: 100,
      pollMs: 200,
      retryBackoffMs: { min: 50, max: 500 },
    });
    consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'outage__counted',
      subject: 'signals.test.counted',
      schema: Int64ValueSchema,
      concurrency: 8,
      backoffMs: [100, 200],
      sequenceGapRetryMs: 300,
      handler: async (trx, event) => {
        await trx
          .insertInto('applied')
          .values({ event_id: event.id, user_key: event.userId ?? null, value: String(event.message.value) })
          .execute();
      },
    });

    const committed = new Set<string>();
    let reachedHalfway: () => void = () => undefined;
    const halfway = new Promise<void>((resolve) => (reachedHalfway = resolve));
    const writeUser = async (userId: string): Promise<void> => {
      for (let n = 1; n <= EVENTS_PER_USER; n++) {
        const { id } = await inTransaction(fx.db, (trx) =>
          enqueueEvent(trx, codec, 'signals.test.counted', create(Int64ValueSchema, { value: BigInt(n) }), { userId }),
        );
        committed.add(id);
        if (committed.size === Math.floor(TOTAL / 3)) reachedHalfway();
      }
    };
    let relayFailedDuringOutage = false;
    const outage = (async () => {
      await halfway;
      await nats.kill();
      await waitFor('the relay to notice the outage', () => relay?.health().healthy === false, 10_000);
      relayFailedDuringOutage = true;
      await waitFor('the consumer to turn unhealthy', () => consumer?.health().healthy === false, 10_000);
      await waitFor('more events to pile up in the outbox', () => committed.size >= (2 * TOTAL) / 3, 30_000);
      await nats.start();
    })();

    await Promise.all([...USERS.map(writeUser), outage]);
    await waitFor('every committed event to be applied', async () => (await fx.applied()).length >= TOTAL, 90_000);

    const applied = await fx.applied();
    expect(committed.size).toBe(TOTAL);
    expect(relayFailedDuringOutage).toBe(true);
    expect(new Set(applied.map((a) => a.event_id))).toEqual(committed);
    expect(applied).toHaveLength(TOTAL);
    for (const user of USERS) {
      const values = applied.filter((a) => a.user_key === user).map((a) => Number(a.value));
      expect(values).toEqual(Array.from({ length: EVENTS_PER_USER }, (_, i) => i + 1));
    }
    await waitFor('the relay to report an empty backlog', () => relay?.health().backlog === 0 && relay.health().healthy, 10_000);
    await waitFor('the consumer to be healthy again', () => consumer?.health().healthy === true, 10_000);
    console.log(`outage proof: ${TOTAL} events through outbox, kill and restart, applied in ${Date.now() - started} ms`);
  }, 150_000);
});
