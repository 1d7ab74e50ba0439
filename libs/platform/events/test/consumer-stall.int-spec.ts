import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { startConsumer, type RunningConsumer } from '../src';
import { startPrivateNatsServer, type PrivateNatsServer } from '@oo/testing';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

// Proof: losing the broker turns the consumer's health (readiness) false; once the broker is back
// the consumer resubscribes by itself, processes new events and reports healthy again.
describe('consumer stall detection', () => {
  let nats: PrivateNatsServer;
  let fx: EventsFixture;
  let consumer: RunningConsumer;

  const publishNote = async (value: string): Promise<string> => {
    const event = codec.encode('signals.test.noted', create(StringValueSchema, { value }));
    await fx.bus.publish(event);
    return event.headers['ce-id'] ?? '';
  };
  const isApplied = async (id: string) => (await fx.applied()).some((a) => a.event_id === id);

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    fx = await createEventsFixture('stall', [testConsumer('stall__noted', 'signals.test.noted')], { natsUrl: nats.url });
    consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'stall__noted',
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      handler: async (trx, event) => {
        await trx.insertInto('applied').values({ event_id: event.id, user_key: null, value: event.message.value }).execute();
      },
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await fx.close();
    await nats.stop();
  });

  it('turns unhealthy when the broker dies and recovers after it restarts', async () => {
    const before = await publishNote('before');
    await waitFor('the first event', () => isApplied(before));
    expect(consumer.health().healthy).toBe(true);

    await nats.kill();
    await waitFor('health to turn false', () => !consumer.health().healthy, 10_000);
    expect(consumer.health().reason).toMatch(/disconnected|heartbeats missed/);
    expect(fx.bus.health().healthy).toBe(false);

    await nats.start();
    let after = '';
    await waitFor('the broker to accept a publish again', () => publishNote('after').then((id) => ((after = id), true), () => false));
    await waitFor('the event published after the restart', () => isApplied(after), 20_000);
    await waitFor('health to turn true again', () => consumer.health().healthy, 10_000);
  });

  it('turns unhealthy when its consumer is deleted on the server, and re-creates it', async () => {
    await fx.jsm.consumers.delete(`${fx.prefix}_SIGNALS`, 'stall__noted');
    await waitFor('health to turn false', () => !consumer.health().healthy, 10_000);

    await waitFor('the consumer to be re-created', async () =>
      fx.jsm.consumers.info(`${fx.prefix}_SIGNALS`, 'stall__noted').then(() => true, () => false),
    );
    const after = await publishNote('after re-creation');
    await waitFor('the event published after re-creation', () => isApplied(after), 20_000);
    await waitFor('health to turn true again', () => consumer.health().healthy, 10_000);
  });
});
