import { create, fromBinary } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { inTransaction, sql } from '@oo/db';
import { uniqueStreamPrefix } from '@oo/testing';
import { Registry } from 'prom-client';
import {
  createEventsMetrics,
  createJetStreamBus,
  enqueueEvent,
  eraseUserEventState,
  startOutboxRelay,
  type EventsLogger,
  type EventsMetrics,
  type OutboxRelay,
} from '../src';
import { codec, createEventsFixture, waitFor, type EventsFixture } from './support/events-fixture';

// A small stream: anything above 4 KiB is refused by JetStream itself, anything above the
// server's max_payload (1 MiB) already by the client.
const STREAM_MAX_MSG_SIZE = 4_096;

describe('outbox relay with rows the broker refuses for good', () => {
  let fx: EventsFixture;
  let relay: OutboxRelay | undefined;
  let metrics: EventsMetrics;
  let errors: { obj: object; msg?: string }[];
  const stream = () => `${fx.prefix}_SIGNALS`;
  const log: EventsLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (obj, msg) => errors.push({ obj, msg }),
  };

  const note = (userId: string, value: string) =>
    inTransaction(fx.db, (trx) => enqueueEvent(trx, codec, 'signals.test.noted', create(StringValueSchema, { value }), { userId }));
  const pending = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from event_outbox where published_at is null`.execute(fx.db)).rows[0]?.n);
  const deadRows = async () =>
    (
      await sql<{ user_key: string; sequence: string; dead_reason: string; attempts: number }>`
        select user_key, sequence, dead_reason, attempts from event_outbox_dead order by seq`.execute(fx.db)
    ).rows;
  const deadCount = async () => (await metrics.outboxDead.get()).values.find((v) => v.labels.schema === fx.schema)?.value ?? 0;
  const stored = async () => {
    const { state } = await fx.jsm.streams.info(stream());
    const events: { user: string; value: string }[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const m = await fx.jsm.streams.getMessage(stream(), { seq });
      if (m) events.push({ user: m.header.get('ce-subject'), value: fromBinary(StringValueSchema, m.data).value });
    }
    return events;
  };
  const valuesOf = (events: { user: string; value: string }[], user: string) => events.filter((e) => e.user === user).map((e) => e.value);

  beforeAll(async () => {
    fx = await createEventsFixture('poison', []);
    await fx.jsm.streams.update(stream(), { max_msg_size: STREAM_MAX_MSG_SIZE });
  });
  beforeEach(() => {
    metrics = createEventsMetrics(new Registry());
    errors = [];
  });
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    await fx.jsm.streams.purge(stream());
    await sql`truncate event_outbox, event_outbox_dead`.execute(fx.db);
  });
  afterAll(() => fx.close());

  it("moves a row above the stream's max_msg_size aside and goes on with that user's and others' rows", async () => {
    await note('ada', 'a-1');
    await note('ada', 'x'.repeat(2 * STREAM_MAX_MSG_SIZE));
    await note('ada', 'a-2');
    await note('bob', 'b-1');
    await note('ada', 'a-3');
    await note('bob', 'b-2');
    relay = startOutboxRelay({ db: fx.db, bus: fx.bus, log, metrics, pollMs: 20, retryBackoffMs: { min: 20, max: 50 } });

    await waitFor('every publishable row to be out', async () => (await pending()) === 0);

    const events = await stored();
    expect(valuesOf(events, 'ada')).toEqual(['a-1', 'a-2', 'a-3']);
    expect(valuesOf(events, 'bob')).toEqual(['b-1', 'b-2']);
    const dead = await deadRows();
    expect(dead).toEqual([{ user_key: 'ada', sequence: '2', attempts: 1, dead_reason: expect.any(String) }]);
    expect(dead[0]?.dead_reason).toMatch(/^payload above the stream's max_msg_size: .*message size exceeds maximum allowed/);
    expect(await deadCount()).toBe(1);
    expect(errors).toEqual([
      { obj: expect.objectContaining({ schema: fx.schema, subject: 'signals.test.noted', reason: dead[0]?.dead_reason }), msg: expect.any(String) },
    ]);
    await waitFor('the backlog to leave the dead row out', () => relay?.health().backlog === 0 && relay.health().healthy);
  });

  it("moves a row above the server's max_payload aside (the client refuses it before sending)", async () => {
    await note('cy', 'y'.repeat(1_100_000));
    await note('cy', 'c-1');
    relay = startOutboxRelay({ db: fx.db, bus: fx.bus, log, metrics, pollMs: 20 });

    await waitFor('the next row to be out', async () => (await pending()) === 0);

    expect(valuesOf(await stored(), 'cy')).toEqual(['c-1']);
    const dead = await deadRows();
    expect(dead).toHaveLength(1);
    expect(dead[0]?.dead_reason).toMatch(/^payload above the server's max_payload: .*max_payload size exceeded/);
    expect(await deadCount()).toBe(1);
  });

  it('keeps a row while no stream takes its subject (a transient failure), and moves nothing aside', async () => {
    const streamless = await createJetStreamBus(fx.bus.connection, { prefix: uniqueStreamPrefix('nostream'), publishTimeoutMs: 1_000 });
    await note('dee', 'd-1');
    const failing = startOutboxRelay({ db: fx.db, bus: streamless, log, metrics, pollMs: 20, retryBackoffMs: { min: 20, max: 50 } });
    relay = failing;

    await waitFor('the row to be tried twice', async () => {
      const { rows } = await sql<{ attempts: number }>`select attempts from event_outbox`.execute(fx.db);
      return (rows[0]?.attempts ?? 0) >= 2;
    });

    const { rows } = await sql<{ last_error: string; published_at: Date | null }>`select last_error, published_at from event_outbox`.execute(fx.db);
    expect(rows).toEqual([{ published_at: null, last_error: expect.stringContaining('publish to signals.test.noted failed') }]);
    expect(await deadRows()).toEqual([]);
    expect(await deadCount()).toBe(0);
    expect(failing.health().healthy).toBe(false);
  });

  it("erases a user's rows that were moved aside", async () => {
    await note('eve', 'z'.repeat(2 * STREAM_MAX_MSG_SIZE));
    await note('fay', 'z'.repeat(2 * STREAM_MAX_MSG_SIZE));
    relay = startOutboxRelay({ db: fx.db, bus: fx.bus, metrics, pollMs: 20 });
    await waitFor('both rows to be moved aside', async () => (await deadRows()).length === 2);

    await inTransaction(fx.db, (trx) => eraseUserEventState(trx, 'eve'));

    expect((await deadRows()).map((d) => d.user_key)).toEqual(['fay']);
  });
});
