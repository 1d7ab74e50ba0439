import { create, fromBinary } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import {
  DEAD_LETTER_HEADERS,
  EventsError,
  PermanentEventError,
  startConsumer,
  type EventBus,
  type RunningConsumer,
} from '../src';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

// Proof: while the copy to deadletter.<durable> cannot be stored, the original is neither acked,
// terminated nor given up. On the last delivery a nak would lose it (the broker redelivers no
// more after max_deliver), so the consumer holds it and keeps trying.

interface FaultyDeadLetters {
  bus: EventBus;
  /** Failed dead-letter publishes so far. */
  failures(): number;
  heal(): void;
  /** What the consumer did with each delivery: `<value>#<delivery count>:<ack|nak|term>`. */
  actions: string[];
}

function faultyDeadLetters(bus: EventBus): FaultyDeadLetters {
  let failing = true;
  let failures = 0;
  const actions: string[] = [];
  const faulty: EventBus = {
    kind: bus.kind,
    publish: async (event) => {
      if (!failing || !event.subject.startsWith('deadletter.')) return bus.publish(event);
      failures += 1;
      throw new EventsError('EVENTS_PUBLISH_FAILED', `publish to ${event.subject} failed`, { cause: new Error('stream unavailable') });
    },
    subscribe: (spec, handler) =>
      bus.subscribe(spec, (d) => {
        const tag = `${d.headers['ce-id'] ?? ''}#${d.deliveryCount}`;
        return handler({
          ...d,
          ack: () => (actions.push(`${tag}:ack`), d.ack()),
          nak: (ms) => (actions.push(`${tag}:nak`), d.nak(ms)),
          term: (reason) => (actions.push(`${tag}:term`), d.term(reason)),
        });
      }),
    subscribeFanOut: (spec, handler) => bus.subscribeFanOut(spec, handler),
    health: () => bus.health(),
    drain: () => bus.drain(),
  };
  return { bus: faulty, failures: () => failures, heal: () => (failing = false), actions };
}

describe('dead letters that cannot be stored', () => {
  let fx: EventsFixture;
  let faults: FaultyDeadLetters;
  const running: RunningConsumer[] = [];

  const lastDeadLetter = async (durable: string) => {
    const stored = await fx.jsm.streams
      .getMessage(`${fx.prefix}_DEADLETTER`, { last_by_subj: `${fx.prefix}.deadletter.${durable}` })
      .catch(() => null);
    return stored ? { headers: Object.fromEntries(stored.header.keys().map((k) => [k, stored.header.get(k)])), data: stored.data } : null;
  };
  const settled = (durable: string, stream = 'SIGNALS') =>
    waitFor(`${durable} to have nothing pending`, async () => {
      const info = await fx.jsm.consumers.info(`${fx.prefix}_${stream}`, durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });

  beforeAll(async () => {
    fx = await createEventsFixture('dl-outage', [
      testConsumer('dlout__noted', 'signals.test.noted', { maxDeliver: 3, ackWait: 2_000 }),
      testConsumer('dlout__counted', 'signals.test.counted', { maxDeliver: 3, ackWait: 2_000 }),
    ]);
    faults = faultyDeadLetters(fx.bus);
  });
  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await fx.close();
  });

  const start = async (durable: 'dlout__noted' | 'dlout__counted') => {
    const subject = durable === 'dlout__noted' ? 'signals.test.noted' : 'signals.test.counted';
    const consumer = await startConsumer({
      bus: faults.bus,
      db: fx.db,
      durable,
      subject,
      schema: codec.schemaOf(subject),
      concurrency: 1,
      backoffMs: [100],
      handler: async (trx, event) => {
        if (durable === 'dlout__counted') throw new PermanentEventError('never valid here');
        if (event.message.value === 'poison') throw new Error('cannot digest poison');
        await trx.insertInto('applied').values({ event_id: event.id, user_key: null, value: String(event.message.value) }).execute();
      },
    });
    running.push(consumer);
    return consumer;
  };

  it('holds the last delivery until its dead letter is stored, then terminates it', async () => {
    await start('dlout__noted');
    const poison = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'poison' }));
    const next = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'wholesome' }));
    const id = poison.headers['ce-id'] ?? '';
    await fx.bus.publish(poison);
    await fx.bus.publish(next);

    // More failed attempts than the old three, spread over longer than the ack wait.
    await waitFor('repeated dead-letter failures', () => faults.failures() >= 4, 30_000);
    expect(faults.actions.filter((a) => a.startsWith(id))).toEqual([`${id}#1:nak`, `${id}#2:nak`]);
    const info = await fx.jsm.consumers.info(`${fx.prefix}_SIGNALS`, 'dlout__noted');
    expect(info.num_ack_pending).toBe(1);

    faults.heal();
    await waitFor('the dead letter', async () => (await lastDeadLetter('dlout__noted'))?.headers['ce-id'] === id);
    await waitFor('the next event', async () => (await fx.applied()).some((a) => a.event_id === next.headers['ce-id']));
    await settled('dlout__noted');

    const letter = await lastDeadLetter('dlout__noted');
    expect(fromBinary(StringValueSchema, letter?.data ?? new Uint8Array()).value).toBe('poison');
    expect(letter?.headers).toMatchObject({ [DEAD_LETTER_HEADERS.reason]: 'exhausted', [DEAD_LETTER_HEADERS.deliveryCount]: '3' });
    expect(faults.actions.filter((a) => a.startsWith(id))).toEqual([`${id}#1:nak`, `${id}#2:nak`, `${id}#3:term`]);
  });

  it('gives a held event back to the broker when the consumer stops, and dead-letters it on redelivery', async () => {
    faults.heal();
    const failing = faultyDeadLetters(fx.bus);
    faults = failing;
    const consumer = await start('dlout__counted');
    const event = codec.encode('signals.test.counted', create(codec.schemaOf('signals.test.counted'), { value: 5n }));
    const id = event.headers['ce-id'] ?? '';
    await fx.bus.publish(event);
    await waitFor('the dead letter to fail', () => failing.failures() >= 2);

    await consumer.stop();
    expect(failing.actions).toEqual([`${id}#1:nak`]);

    failing.heal();
    await start('dlout__counted');
    await waitFor('the dead letter', async () => (await lastDeadLetter('dlout__counted'))?.headers['ce-id'] === id);
    await settled('dlout__counted');
    expect((await lastDeadLetter('dlout__counted'))?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reason]: 'permanent',
      [DEAD_LETTER_HEADERS.deliveryCount]: '2',
    });
    expect(failing.actions).toEqual([`${id}#1:nak`, `${id}#2:term`]);
  });
});
