// Prints outbox figures on this machine: commit rate of enqueueing transactions, relay publish
// rate (rows acknowledged by JetStream per second), and consumer rate through inbox + handler.
// Run: npx tsx libs/platform/events/bench/outbox-throughput.bench.ts   (uses DATABASE_URL / NATS_URL)
import { create } from '@bufbuild/protobuf';
import { Int64ValueSchema } from '@bufbuild/protobuf/wkt';
import { inTransaction, sql } from '@oo/db';
import { enqueueEvent, startConsumer, startOutboxRelay } from '../src';
import { codec, createEventsFixture, testConsumer, waitFor } from '../test/support/events-fixture';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 5_000);
const USERS = 20;
const WRITERS = 8;

async function main(): Promise<void> {
  const fx = await createEventsFixture('bench', [testConsumer('bench__counted', 'signals.test.counted', { ackWait: 30_000 })], {
    bus: { fetchExpiresMs: 5_000 },
  });
  try {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let n = next++; n < EVENTS; n = next++) {
          const userId = `user-${n % USERS}`;
          await inTransaction(fx.db, (trx) =>
            enqueueEvent(trx, codec, 'signals.test.counted', create(Int64ValueSchema, { value: BigInt(n) }), { userId }),
          );
        }
      }),
    );
    const enqueueMs = performance.now() - t0;

    const t1 = performance.now();
    const relay = startOutboxRelay({ db: fx.db, bus: fx.bus, batchSize: 500, pollMs: 50 });
    const unpublished = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from event_outbox where published_at is null`.execute(fx.db)).rows[0]?.n);
    await waitFor('the relay to drain the outbox', async () => (await unpublished()) === 0, 300_000);
    const relayMs = performance.now() - t1;
    await relay.stop();

    const t2 = performance.now();
    const consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'bench__counted',
      subject: 'signals.test.counted',
      schema: Int64ValueSchema,
      concurrency: 16,
      handler: async (trx, event) => {
        await trx.insertInto('applied').values({ event_id: event.id, user_key: event.userId ?? null, value: '' }).execute();
      },
    });
    const applied = async () => Number((await sql<{ n: string }>`select count(*) as n from applied`.execute(fx.db)).rows[0]?.n);
    await waitFor('the consumer to apply every event', async () => (await applied()) === EVENTS, 300_000);
    const consumeMs = performance.now() - t2;
    await consumer.stop();

    const rate = (ms: number) => Math.round((EVENTS / ms) * 1000);
    console.log(`events: ${EVENTS} (${USERS} users, ${WRITERS} concurrent writers)`);
    console.log(`enqueue (1 event per transaction): ${Math.round(enqueueMs)} ms, ${rate(enqueueMs)}/s`);
    console.log(`relay publish (JetStream acks awaited): ${Math.round(relayMs)} ms, ${rate(relayMs)}/s`);
    console.log(`consume (inbox + handler + ack, concurrency 16): ${Math.round(consumeMs)} ms, ${rate(consumeMs)}/s`);
  } finally {
    await fx.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
