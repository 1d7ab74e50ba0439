import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { subjects } from '@oo/contracts';
import { createEventCodec, prefixStream, headersOf } from '@oo/events';
import type { FakeServices } from './fake-services';

const codec = createEventCodec(subjects, { source: 'recommender' });

/**
 * The fake recommender's read model fed the real way: its provisioned durables pull task and
 * preference events, and each is acked after it is applied (what the simulation waits for).
 */
export async function startFakeRecommenderConsumers(nc: NatsConnection, prefix: string, fake: FakeServices): Promise<{ stop(): Promise<void> }> {
  const js = jetstream(nc);
  const running: { messages: ConsumerMessages; loop: Promise<void> }[] = [];
  const start = async (stream: string, durable: string, apply: (m: { subject: string; headers: Record<string, string>; data: Uint8Array }) => void) => {
    const messages = await (await js.consumers.get(prefixStream(prefix, stream), durable)).consume({ max_messages: 100 });
    const loop = (async () => {
      for await (const m of messages) {
        apply({ subject: m.subject, headers: headersOf(m), data: m.data });
        m.ack();
      }
    })();
    running.push({ messages, loop });
  };
  await start('SIGNALS', 'recommender__task_upserted', (raw) => fake.applyTask(codec.decode('signals.task.upserted', { ...raw, subject: 'signals.task.upserted' }).message));
  await start('PROFILE', 'recommender__preferences_updated', (raw) => {
    const { message } = codec.decode('profile.preferences.updated', { ...raw, subject: 'profile.preferences.updated' });
    fake.applyTimezone(message.userId, message.timezone);
  });
  return {
    stop: async () => {
      for (const r of running) {
        await r.messages.close();
        await r.loop;
      }
    },
  };
}
