import { create, fromBinary } from '@bufbuild/protobuf';
import { Int64ValueSchema } from '@bufbuild/protobuf/wkt';
import { inTransaction, sql } from '@oo/db';
import { enqueueEvent, eraseUserEventState, startOutboxRelay, type EventBus, type OutboxRelay } from '../src';
import { codec, createEventsFixture, waitFor, type EventsFixture } from './support/events-fixture';

describe('outbox relay', () => {
  let fx: EventsFixture;
  let relays: OutboxRelay[] = [];

  const enqueue = (userId: string, value: number) =>
    inTransaction(fx.db, (trx) =>
      enqueueEvent(trx, codec, 'signals.test.counted', create(Int64ValueSchema, { value: BigInt(value) }), { userId }),
    );
  const unpublished = async () => {
    const { rows } = await sql<{ n: string }>`select count(*) as n from event_outbox where published_at is null`.execute(fx.db);
    return Number(rows[0]?.n);
  };
  const storedEvents = async () => {
    const stream = `${fx.prefix}_SIGNALS`;
    const { state } = await fx.jsm.streams.info(stream);
    const events: { user: string; value: number; sequence: string; id: string }[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const m = await fx.jsm.streams.getMessage(stream, { seq });
      if (!m) continue;
      events.push({
        user: m.header.get('ce-subject'),
        value: Number(fromBinary(Int64ValueSchema, m.data).value),
        sequence: m.header.get('ce-sequence'),
        id: m.header.get('ce-id'),
      });
    }
    return events;
  };

  beforeAll(async () => {
    fx = await createEventsFixture('relay', []);
  });
  afterEach(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    relays = [];
    await fx.jsm.streams.purge(`${fx.prefix}_SIGNALS`);
    await sql`truncate event_outbox`.execute(fx.db);
  });
  afterAll(() => fx.close());

  it('lets two relays share one outbox: every row sent once, each user in order, with its sequence', async () => {
    const sent: string[] = [];
    const countingBus: EventBus = { ...fx.bus, publish: (e) => (sent.push(e.headers['ce-id'] ?? ''), fx.bus.publish(e)) };
    const users = ['u1', 'u2', 'u3'];
    const writes = users.map(async (user) => {
      for (let n = 1; n <= 80; n++) await enqueue(user, n);
    });
    relays = [1, 2].map(() => startOutboxRelay({ db: fx.db, bus: countingBus, batchSize: 7, pollMs: 20, databaseUrl: fx.databaseUrl }));
    await Promise.all(writes);
    await waitFor('the outbox to drain', async () => (await unpublished()) === 0);

    const events = await storedEvents();
    expect(events).toHaveLength(240);
    expect(new Set(sent).size).toBe(sent.length);
    for (const user of users) {
      const mine = events.filter((e) => e.user === user);
      expect(mine.map((e) => e.value)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
      expect(mine.map((e) => Number(e.sequence))).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    }
  });

  it('wakes at commit through LISTEN/NOTIFY instead of waiting for its poll', async () => {
    const relay = startOutboxRelay({ db: fx.db, bus: fx.bus, pollMs: 600_000, databaseUrl: fx.databaseUrl });
    relays = [relay];
    await waitFor('the first round', () => relay.health().lastSuccessAt !== undefined);

    await enqueue('u-notify', 1);

    await waitFor('the row to be published long before the next poll', async () => (await unpublished()) === 0, 10_000);
  });

  it('keeps a row with its error while the broker refuses it, then publishes it', async () => {
    let refusals = 3;
    const flakyBus: EventBus = {
      ...fx.bus,
      publish: (e) => (refusals-- > 0 ? Promise.reject(new Error('broker unavailable')) : fx.bus.publish(e)),
    };
    await enqueue('u-flaky', 1);
    const relay = startOutboxRelay({ db: fx.db, bus: flakyBus, pollMs: 20, retryBackoffMs: { min: 20, max: 50 } });
    relays = [relay];

    await waitFor('the row to be published', async () => (await unpublished()) === 0);

    const { rows } = await sql<{ attempts: number; last_error: string }>`select attempts, last_error from event_outbox`.execute(fx.db);
    expect(rows).toEqual([{ attempts: 4, last_error: 'Error: broker unavailable' }]);
    await waitFor('health to clear', () => relay.health().healthy && relay.health().backlog === 0);
    expect(await storedEvents()).toHaveLength(1);
  });

  it('purges published rows after the retention period', async () => {
    await enqueue('u-purge', 1);
    await enqueue('u-purge', 2);
    relays = [startOutboxRelay({ db: fx.db, bus: fx.bus, pollMs: 20, retentionMs: 1, purgeIntervalMs: 20 })];

    await waitFor('the outbox to be empty', async () => {
      const { rows } = await sql<{ n: string }>`select count(*) as n from event_outbox`.execute(fx.db);
      return rows[0]?.n === '0';
    });
    expect((await storedEvents()).map((e) => e.value)).toEqual([1, 2]);
  });

  it("erases a user's sequence counter and published rows, leaving other users alone", async () => {
    await enqueue('u-gone', 1);
    await enqueue('u-kept', 1);
    relays = [startOutboxRelay({ db: fx.db, bus: fx.bus, pollMs: 20 })];
    await waitFor('the rows to be published', async () => (await unpublished()) === 0);

    await inTransaction(fx.db, (trx) => eraseUserEventState(trx, 'u-gone'));

    const left = await sql<{ user_key: string }>`
      select user_key from event_outbox where user_key in ('u-gone', 'u-kept')
      union all select user_key from event_outbox_sequence where user_key in ('u-gone', 'u-kept')`.execute(fx.db);
    expect(left.rows.map((r) => r.user_key)).toEqual(['u-kept', 'u-kept']);
  });
});
