import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { createEventsMetrics, startConsumer, type EventBus, type EventsMetrics, type RunningConsumer } from '../src';
import { Registry } from 'prom-client';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

// A bus whose first ack of every event never reaches the broker, as when a process dies between
// commit and ack: the broker redelivers once the ack wait has passed.
function losingFirstAcks(bus: EventBus, deliveries: number[]): EventBus {
  return {
    ...bus,
    subscribe: (spec, handler) =>
      bus.subscribe(spec, (d) => {
        deliveries.push(d.deliveryCount);
        return handler(d.deliveryCount === 1 ? { ...d, ack: () => undefined } : d);
      }),
  };
}

async function outcomes(metrics: EventsMetrics, consumer: string): Promise<Record<string, number>> {
  const { values } = await metrics.consumed.get();
  return Object.fromEntries(values.filter((v) => v.labels.consumer === consumer).map((v) => [String(v.labels.outcome), v.value]));
}

describe('consumer redelivery', () => {
  let fx: EventsFixture;
  let consumer: RunningConsumer | undefined;
  let metrics: EventsMetrics;

  beforeAll(async () => {
    fx = await createEventsFixture('redelivery', [
      testConsumer('redelivery__ack_lost', 'signals.test.noted', { ackWait: 1_000 }),
      testConsumer('redelivery__republished', 'signals.test.counted'),
    ]);
  });
  beforeEach(() => {
    metrics = createEventsMetrics(new Registry());
  });
  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });
  afterAll(() => fx.close());

  const start = (durable: string, subject: 'signals.test.noted' | 'signals.test.counted', bus: EventBus = fx.bus) =>
    startConsumer({
      bus,
      db: fx.db,
      durable,
      subject,
      schema: codec.schemaOf(subject),
      metrics,
      handler: async (trx, event) => {
        await trx.insertInto('applied').values({ event_id: event.id, user_key: event.userId ?? null, value: durable }).execute();
      },
    });

  it('applies an event whose ack was lost once, though the broker delivers it twice', async () => {
    const deliveries: number[] = [];
    consumer = await startConsumer({
      bus: losingFirstAcks(fx.bus, deliveries),
      db: fx.db,
      durable: 'redelivery__ack_lost',
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      metrics,
      handler: async (trx, event) => {
        await trx.insertInto('applied').values({ event_id: event.id, user_key: null, value: event.message.value }).execute();
      },
    });
    const event = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'once' }));

    await fx.bus.publish(event);
    await waitFor('the redelivery to be acked', async () => (await outcomes(metrics, 'redelivery__ack_lost'))['duplicate'] === 1);

    expect(deliveries).toEqual([1, 2]);
    expect((await fx.applied()).filter((a) => a.event_id === event.headers['ce-id'])).toHaveLength(1);
    expect(await outcomes(metrics, 'redelivery__ack_lost')).toEqual({ processed: 1, duplicate: 1 });
  });

  it('applies an event once when a producer republishes it past the broker dedupe', async () => {
    consumer = await start('redelivery__republished', 'signals.test.counted');
    const event = codec.encode('signals.test.counted', create(codec.schemaOf('signals.test.counted'), { value: 7n }), { userId: 'u-7' });

    await fx.bus.publish({ ...event, msgId: 'first-attempt' });
    await fx.bus.publish({ ...event, msgId: 'second-attempt' });
    await waitFor('both copies to be handled', async () => {
      const o = await outcomes(metrics, 'redelivery__republished');
      return (o['processed'] ?? 0) + (o['duplicate'] ?? 0) === 2;
    });

    expect((await fx.applied()).filter((a) => a.event_id === event.headers['ce-id'])).toHaveLength(1);
    expect(await outcomes(metrics, 'redelivery__republished')).toEqual({ processed: 1, duplicate: 1 });
  });
});
