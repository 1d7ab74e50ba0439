import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { sql } from '@oo/db';
import { Registry } from 'prom-client';
import { createEventsMetrics, startConsumer, type EventsMetrics } from '../src';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

// Proof: the inbox keeps an event's id as long as the stream can replay the event, whatever
// shorter retention is configured. A consumer re-created with deliver policy "all" gets the
// stream's whole history again (the test stream keeps events for an hour); the inbox must still
// know them, or they are applied twice.
const DURABLE = 'horizon__noted';

async function outcomes(metrics: EventsMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.consumed.get();
  return Object.fromEntries(values.filter((v) => v.labels.consumer === DURABLE).map((v) => [String(v.labels.outcome), v.value]));
}

describe('inbox dedupe horizon', () => {
  let fx: EventsFixture;
  const metrics = createEventsMetrics(new Registry());
  const stream = () => `${fx.prefix}_SIGNALS`;

  beforeAll(async () => {
    fx = await createEventsFixture('horizon', [testConsumer(DURABLE, 'signals.test.noted')]);
  });
  afterAll(() => fx.close());

  const start = () =>
    startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: DURABLE,
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      metrics,
      inboxRetentionMs: 1,
      handler: async (trx, event) => {
        await trx.insertInto('applied').values({ event_id: event.id, user_key: null, value: event.message.value }).execute();
      },
    });
  const inboxHas = async (eventId: string) => {
    const { rows } = await sql`select 1 from event_inbox where consumer = ${DURABLE} and event_id = ${eventId}`.execute(fx.db);
    return rows.length > 0;
  };

  it('does not apply an event twice when its consumer is re-created after an inbox purge', async () => {
    const event = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'once' }));
    const id = event.headers['ce-id'] ?? '';
    let consumer = await start();
    await fx.bus.publish(event);
    await waitFor('the event to be processed', async () => (await outcomes(metrics))['processed'] === 1);
    await consumer.stop();

    // An id older than any stream here shows when a purge has run.
    await sql`insert into event_inbox (consumer, event_id, received_at) values (${DURABLE}, 'ancient', now() - interval '3 days')`.execute(fx.db);
    consumer = await start();
    await waitFor('a purge', async () => !(await inboxHas('ancient')));
    expect(await inboxHas(id)).toBe(true);
    await consumer.stop();

    const { config } = await fx.jsm.consumers.info(stream(), DURABLE);
    await fx.jsm.consumers.delete(stream(), DURABLE);
    await fx.jsm.consumers.add(stream(), config);
    consumer = await start();
    await waitFor('the replayed event to be handled', async () => {
      const o = await outcomes(metrics);
      return (o['processed'] ?? 0) + (o['duplicate'] ?? 0) === 2;
    });
    await consumer.stop();

    expect((await fx.applied()).filter((a) => a.event_id === id)).toHaveLength(1);
    expect(await outcomes(metrics)).toEqual({ processed: 1, duplicate: 1 });
  });
});
