import { create } from '@bufbuild/protobuf';
import { Int64ValueSchema } from '@bufbuild/protobuf/wkt';
import { startConsumer, type RunningConsumer } from '../src';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

// The broker may hand a user's events over out of order (a redelivery after the ack wait, a
// delivery lost in a crash). The consumer holds back an event until its predecessor is handled.
describe('consumer ordering per user', () => {
  let fx: EventsFixture;
  let consumer: RunningConsumer;

  const counted = (userId: string, value: number) =>
    codec.encode('signals.test.counted', create(Int64ValueSchema, { value: BigInt(value) }), {
      userId,
      sequence: BigInt(value),
    });
  const valuesOf = async (userId: string) =>
    (await fx.applied()).filter((a) => a.user_key === userId).map((a) => Number(a.value));

  beforeAll(async () => {
    fx = await createEventsFixture('ordering', [testConsumer('ordering__counted', 'signals.test.counted', { maxDeliver: 4 })]);
    consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'ordering__counted',
      subject: 'signals.test.counted',
      schema: Int64ValueSchema,
      sequenceGapRetryMs: 200,
      handler: async (trx, event) => {
        await trx
          .insertInto('applied')
          .values({ event_id: event.id, user_key: event.userId ?? null, value: String(event.message.value) })
          .execute();
      },
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await fx.close();
  });

  it('applies a user event that arrives before its predecessor after the predecessor', async () => {
    await fx.bus.publish(counted('zed', 1));
    await waitFor('the first event', async () => (await valuesOf('zed')).length === 1);

    await fx.bus.publish(counted('zed', 3));
    await fx.bus.publish(counted('zed', 2));
    await waitFor('both later events', async () => (await valuesOf('zed')).length === 3);

    expect(await valuesOf('zed')).toEqual([1, 2, 3]);
  });

  it('stops waiting for a predecessor that never comes before the attempts run out', async () => {
    await fx.bus.publish(counted('yan', 1));
    await waitFor('the first event', async () => (await valuesOf('yan')).length === 1);

    await fx.bus.publish(counted('yan', 3));
    await waitFor('the event after the gap', async () => (await valuesOf('yan')).length === 2);

    expect(await valuesOf('yan')).toEqual([1, 3]);
  });
});
