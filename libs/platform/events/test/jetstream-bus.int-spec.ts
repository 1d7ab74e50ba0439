import { create, fromBinary } from '@bufbuild/protobuf';
import { Int64ValueSchema, StringValueSchema } from '@bufbuild/protobuf/wkt';
import { sql } from '@oo/db';
import { EventsError, startConsumer, type ReceivedEvent } from '../src';
import { codec, createEventsFixture, testConsumer, waitFor, type EventsFixture } from './support/events-fixture';

describe('JetStream bus', () => {
  let fx: EventsFixture;

  beforeAll(async () => {
    fx = await createEventsFixture('bus', [
      testConsumer('bus__counted', 'signals.test.counted'),
      testConsumer('bus__noted', 'signals.test.noted'),
    ]);
  });
  afterAll(() => fx.close());

  it('stores a CloudEvent in binary mode under the prefixed subject, with ce-id as the dedupe id', async () => {
    const event = codec.encode('signals.test.counted', create(Int64ValueSchema, { value: 42n }), {
      userId: 'user-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });

    const first = await fx.bus.publish(event);
    const again = await fx.bus.publish(event);

    expect(first.stream).toBe(`${fx.prefix}_SIGNALS`);
    expect(again).toMatchObject({ seq: first.seq, duplicate: true });
    const stored = await fx.jsm.streams.getMessage(first.stream, { seq: first.seq });
    expect(stored?.subject).toBe(`${fx.prefix}.signals.test.counted`);
    const header = (name: string) => stored?.header.get(name);
    expect({
      specversion: header('ce-specversion'),
      type: header('ce-type'),
      source: header('ce-source'),
      subject: header('ce-subject'),
      contentType: header('ce-datacontenttype'),
      dataschema: header('ce-dataschema'),
      traceparent: header('traceparent'),
      msgId: header('Nats-Msg-Id'),
    }).toEqual({
      specversion: '1.0',
      type: 'google.protobuf.Int64Value',
      source: '/services/events-test',
      subject: 'user-1',
      contentType: 'application/protobuf',
      dataschema: 'urn:oo:proto:google/protobuf/wrappers.proto#google.protobuf.Int64Value',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      msgId: event.headers['ce-id'],
    });
    expect(fromBinary(Int64ValueSchema, stored?.data ?? new Uint8Array()).value).toBe(42n);
  });

  it('hands a typed event to the handler inside a transaction and acks it', async () => {
    const seen: ReceivedEvent<{ value: string }>[] = [];
    const consumer = await startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'bus__noted',
      subject: 'signals.test.noted',
      schema: StringValueSchema,
      handler: async (trx, event) => {
        seen.push(event);
        await trx.insertInto('applied').values({ event_id: event.id, user_key: event.userId ?? null, value: event.message.value }).execute();
      },
    });
    try {
      const event = codec.encode('signals.test.noted', create(StringValueSchema, { value: 'hello' }), { userId: 'user-2' });
      await fx.bus.publish(event);

      await waitFor('the event to be applied', async () => (await fx.applied()).some((a) => a.event_id === event.headers['ce-id']));
      expect(seen[0]).toMatchObject({ id: event.headers['ce-id'], type: 'google.protobuf.StringValue', userId: 'user-2', deliveryCount: 1 });
      await waitFor('the ack to reach the server', async () => {
        const info = await fx.jsm.consumers.info(`${fx.prefix}_SIGNALS`, 'bus__noted');
        return info.num_ack_pending === 0 && info.num_pending === 0;
      });
      const { rows } = await sql<{ n: string }>`select count(*) as n from event_inbox where consumer = 'bus__noted'`.execute(fx.db);
      expect(rows[0]?.n).toBe('1');
    } finally {
      await consumer.stop();
    }
  });

  it('refuses to start a consumer that was never provisioned', async () => {
    const attempt = startConsumer({
      bus: fx.bus,
      db: fx.db,
      durable: 'bus__missing',
      subject: 'signals.test.counted',
      schema: Int64ValueSchema,
      handler: async () => undefined,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'EVENTS_CONSUMER_NOT_FOUND' });
    await expect(attempt).rejects.toBeInstanceOf(EventsError);
  });
});
