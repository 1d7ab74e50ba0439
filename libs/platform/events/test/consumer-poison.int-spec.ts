import { create, fromBinary } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { DEAD_LETTER_HEADERS, PermanentEventError, startConsumer, type RunningConsumer } from '../src';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

// Proof: an event the handler can never process ends in the dead-letter stream with the error
// after the configured attempts, and the consumer goes on with the next event.
describe('poison messages', () => {
  let fx: EventsFixture;
  let consumer: RunningConsumer;
  const attempts = new Map<string, number>();

  const deadLetter = async (durable: string) => {
    const stored = await fx.jsm.streams
      .getMessage(`${fx.prefix}_DEADLETTER`, { last_by_subj: `${fx.prefix}.deadletter.${durable}` })
      .catch(() => null);
    if (!stored) return null;
    const headers = Object.fromEntries(stored.header.keys().map((k) => [k, stored.header.get(k)]));
    return { headers, data: stored.data };
  };

  beforeAll(async () => {
    fx = await createEventsFixture('poison', [testConsumer('poison__noted', 'signals.test.noted', { maxDeliver: 3 })]);
    consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'poison__noted',
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      concurrency: 1,
      backoffMs: [100],
      handler: async (trx, event) => {
        attempts.set(event.message.value, (attempts.get(event.message.value) ?? 0) + 1);
        if (event.message.value === 'poison') throw new Error('cannot digest poison');
        if (event.message.value === 'invalid') throw new PermanentEventError('invalid for this consumer');
        await trx.insertInto('applied').values({ event_id: event.id, user_key: null, value: event.message.value }).execute();
      },
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await fx.close();
  });

  it('dead-letters an always-failing event after the last attempt and processes the next one', async () => {
    const poison = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'poison' }));
    const next = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'wholesome' }));
    await fx.bus.publish(poison);
    await fx.bus.publish(next);

    await waitFor('the dead letter', async () => (await deadLetter('poison__noted')) !== null);
    await waitFor('the next event to be applied', async () => (await fx.applied()).some((a) => a.event_id === next.headers['ce-id']));

    const letter = await deadLetter('poison__noted');
    expect(fromBinary(StringValueSchema, letter?.data ?? new Uint8Array()).value).toBe('poison');
    expect(letter?.headers).toMatchObject({
      'ce-id': poison.headers['ce-id'],
      'ce-type': 'google.protobuf.StringValue',
      [DEAD_LETTER_HEADERS.consumer]: 'poison__noted',
      [DEAD_LETTER_HEADERS.subject]: 'signals.test.noted',
      [DEAD_LETTER_HEADERS.reason]: 'exhausted',
      [DEAD_LETTER_HEADERS.deliveryCount]: '3',
      [DEAD_LETTER_HEADERS.error]: 'Error: cannot digest poison',
    });
    expect(attempts.get('poison')).toBe(3);
    await waitFor('nothing left pending', async () => {
      const info = await fx.jsm.consumers.info(`${fx.prefix}_SIGNALS`, 'poison__noted');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
  });

  it('dead-letters at once a permanent failure and a payload that is not the expected message', async () => {
    const invalid = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'invalid' }));
    const wrongType = { ...codec.encode('signals.test.counted', create(codec.schemaOf('signals.test.counted'), { value: 1n })), subject: 'signals.test.noted' };
    await fx.bus.publish(invalid);
    await waitFor('the permanent failure to be dead-lettered', async () => (await deadLetter('poison__noted'))?.headers['ce-id'] === invalid.headers['ce-id']);
    expect((await deadLetter('poison__noted'))?.headers).toMatchObject({ [DEAD_LETTER_HEADERS.reason]: 'permanent', [DEAD_LETTER_HEADERS.deliveryCount]: '1' });

    await fx.bus.publish(wrongType);
    await waitFor('the wrong type to be dead-lettered', async () => (await deadLetter('poison__noted'))?.headers['ce-id'] === wrongType.headers['ce-id']);
    expect((await deadLetter('poison__noted'))?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reason]: 'undecodable',
      [DEAD_LETTER_HEADERS.deliveryCount]: '1',
    });
    expect(attempts.get('invalid')).toBe(1);
  });
});
