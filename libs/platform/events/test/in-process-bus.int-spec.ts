import { create } from '@bufbuild/protobuf';
import { Int64ValueSchema } from '@bufbuild/protobuf/wkt';
import { createDb, inTransaction, migrateToLatest, type Kysely } from '@oo/db';
import { createTestSchema, type TestSchema } from '@oo/testing';
import { createInProcessBus, enqueueEvent, eventsMigrations, startConsumer, startOutboxRelay, type Delivery } from '../src';
import { codec, waitFor, type TestDatabase } from './support/events-fixture';

// The zero-setup `npm start` runs the same outbox, relay and consumer over the in-process bus.
describe('outbox and consumer over the in-process bus', () => {
  let schema: TestSchema;
  let db: Kysely<TestDatabase>;

  beforeAll(async () => {
    schema = await createTestSchema('in-process');
    db = createDb<TestDatabase>({ url: schema.url, schema: schema.schema });
    await migrateToLatest(db, { schema: schema.schema, migrations: eventsMigrations });
  });
  afterAll(async () => {
    await db.destroy();
    await schema.drop();
  });

  it('relays outbox rows to a consumer, once each, and dead-letters a failing one', async () => {
    const bus = createInProcessBus();
    const relay = startOutboxRelay({ db, bus, pollMs: 20 });
    const handled: bigint[] = [];
    const consumer = await startConsumer({
      bus,
      db,
      durable: 'local__counted',
      subject: 'signals.test.counted',
      schema: Int64ValueSchema,
      maxDeliver: 2,
      backoffMs: [10],
      sequenceGapRetryMs: 20,
      handler: async (_trx, event) => {
        if (event.message.value === 13n) throw new Error('unlucky');
        handled.push(event.message.value);
      },
    });
    const deadLetters: Delivery[] = [];
    const dlq = await bus.subscribe({ durable: 'ops__dead_letters', subject: 'deadletter.>' }, async (d) => {
      deadLetters.push(d);
      d.ack();
    });

    for (const value of [1n, 13n, 2n]) {
      await inTransaction(db, (trx) => enqueueEvent(trx, codec, 'signals.test.counted', create(Int64ValueSchema, { value }), { userId: 'u' }));
    }
    await waitFor('the good events and the dead letter', () => handled.length === 2 && deadLetters.length === 1);

    expect(handled).toEqual([1n, 2n]);
    expect(deadLetters[0]?.headers).toMatchObject({ 'oo-dlq-reason': 'exhausted', 'oo-dlq-delivery-count': '2', 'oo-dlq-error': 'Error: unlucky' });
    await Promise.all([consumer.stop(), dlq.stop(), relay.stop()]);
    await bus.drain();
  });
});
