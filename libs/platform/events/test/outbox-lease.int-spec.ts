import { create, fromBinary } from '@bufbuild/protobuf';
import { Int64ValueSchema } from '@bufbuild/protobuf/wkt';
import { createDb, inTransaction, sql, type Kysely } from '@oo/db';
import { enqueueEvent, startOutboxRelay, type EventBus, type OutboxRelay } from '../src';
import { codec, createEventsFixture, waitFor, type EventsFixture, type TestDatabase } from './support/events-fixture';

/** A bus whose publishes wait until the test opens the gate; `entered` resolves at the first one. */
function gatedBus(inner: EventBus): { bus: EventBus; entered: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let enter: () => void = () => undefined;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const bus: EventBus = {
    ...inner,
    publish: async (event) => {
      enter();
      await gate;
      return inner.publish(event);
    },
  };
  return { bus, entered, open: () => open() };
}

describe('outbox relay leases', () => {
  let fx: EventsFixture;
  let relayDb: Kysely<TestDatabase>;
  const appName = `relay-lease-${process.pid}`;
  let relays: OutboxRelay[] = [];
  let gates: (() => void)[] = [];

  const enqueue = (userId: string, value: number) =>
    inTransaction(fx.db, (trx) =>
      enqueueEvent(trx, codec, 'signals.test.counted', create(Int64ValueSchema, { value: BigInt(value) }), { userId }),
    );
  const pendingOf = async (user: string) =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from event_outbox where published_at is null and user_key = ${user}`.execute(fx.db))
        .rows[0]?.n,
    );
  const storedValues = async (user: string) => {
    const stream = `${fx.prefix}_SIGNALS`;
    const { state } = await fx.jsm.streams.info(stream);
    const values: number[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const m = await fx.jsm.streams.getMessage(stream, { seq });
      if (m?.header.get('ce-subject') === user) values.push(Number(fromBinary(Int64ValueSchema, m.data).value));
    }
    return values;
  };

  beforeAll(async () => {
    fx = await createEventsFixture('lease', []);
    // The relay gets a pool of its own, so its connections can be told apart in pg_stat_activity.
    relayDb = createDb<TestDatabase>({ url: fx.databaseUrl, schema: fx.schema, applicationName: appName, poolMax: 4 });
  });
  afterEach(async () => {
    gates.forEach((open) => open());
    await Promise.all(relays.map((r) => r.stop()));
    relays = [];
    gates = [];
    await fx.jsm.streams.purge(`${fx.prefix}_SIGNALS`);
    await sql`truncate event_outbox`.execute(fx.db);
  });
  afterAll(async () => {
    await relayDb.destroy();
    await fx.close();
  });

  it('holds no transaction (and no lock) open while a publish is in progress', async () => {
    for (let n = 1; n <= 3; n++) await enqueue('una', n);
    const gated = gatedBus(fx.bus);
    gates.push(gated.open);
    relays = [startOutboxRelay({ db: relayDb, bus: gated.bus, pollMs: 20 })];

    await gated.entered;

    const { rows: inTransactionNow } = await sql<{ state: string }>`
      select state from pg_stat_activity
      where application_name = ${appName} and (xact_start is not null or state like 'idle in transaction%')`.execute(fx.db);
    expect(inTransactionNow).toEqual([]);
    const { rows: locks } = await sql<{ locktype: string }>`
      select l.locktype from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where a.application_name = ${appName}`.execute(fx.db);
    expect(locks).toEqual([]);
    const { rows: leased } = await sql<{ n: string }>`
      select count(*) as n from event_outbox where claimed_by is not null and claimed_until > now()`.execute(fx.db);
    expect(leased[0]?.n).toBe('3');

    gated.open();
    await waitFor("una's rows to be published", async () => (await pendingOf('una')) === 0);
    expect(await storedValues('una')).toEqual([1, 2, 3]);
  });

  it("leaves a user's leased rows to their relay, and takes them over once the lease ran out", async () => {
    for (let n = 1; n <= 5; n++) await enqueue('vic', n);
    const stuck = gatedBus(fx.bus);
    gates.push(stuck.open);
    const first = startOutboxRelay({ db: relayDb, bus: stuck.bus, pollMs: 20, leaseMs: 600_000 });
    relays.push(first);
    await stuck.entered;
    relays.push(startOutboxRelay({ db: fx.db, bus: fx.bus, pollMs: 20, leaseMs: 600_000 }));

    // The second relay runs rounds (it publishes wes's row, enqueued after vic's) but not vic's.
    await enqueue('wes', 1);
    await waitFor("wes's row to be published", async () => (await pendingOf('wes')) === 0);
    expect(await storedValues('vic')).toEqual([]);

    // The first relay's publish hangs; its lease runs out (brought forward instead of waited for).
    await sql`update event_outbox set claimed_until = now() - interval '1 second' where claimed_by is not null`.execute(fx.db);
    await waitFor("vic's rows to be published by the second relay", async () => (await pendingOf('vic')) === 0);
    expect(await storedValues('vic')).toEqual([1, 2, 3, 4, 5]);

    // The first relay wakes up and sends what it had claimed: the broker drops the duplicates.
    stuck.open();
    await waitFor("the first relay's round to finish", () => first.health().lastSuccessAt !== undefined);
    expect(await storedValues('vic')).toEqual([1, 2, 3, 4, 5]);
    expect(await storedValues('wes')).toEqual([1]);
  });
});
