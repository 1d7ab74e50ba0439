import { create } from '@bufbuild/protobuf';
import { Int64ValueSchema } from '@bufbuild/protobuf/wkt';
import { sql } from '@oo/db';
import { enqueueEventWith } from '../src';
import { codec, createEventsFixture, type EventsFixture } from './support/events-fixture';

// enqueueEventWith: the row an event announces and the event itself, as one statement.
describe('an event written with the row it announces', () => {
  let fx: EventsFixture;
  const counted = (value: number) => create(Int64ValueSchema, { value: BigInt(value) });
  const outbox = async () =>
    (await sql<{ id: string; sequence: string | null; headers: Record<string, string> }>`select id, sequence, headers from event_outbox order by seq`.execute(fx.db)).rows;
  const applied = async () => (await fx.db.selectFrom('applied').select(['event_id', 'value']).orderBy('position').execute());

  beforeAll(async () => {
    fx = await createEventsFixture('outbox_with', []);
    await sql`create unique index applied_event_id on applied (event_id)`.execute(fx.db);
  });
  afterEach(async () => {
    await sql`truncate event_outbox, event_outbox_sequence, applied`.execute(fx.db);
  });
  afterAll(() => fx.close());

  it('writes both, the user’s sequence counting on and written into the ce-sequence header', async () => {
    for (const n of [1, 2]) {
      const row = fx.db.insertInto('applied').values({ event_id: `d${n}`, user_key: 'u1', value: String(n) });
      const written = await enqueueEventWith(fx.db, row, codec, 'signals.test.counted', counted(n), { userId: 'u1' });
      expect(written.sequence).toBe(BigInt(n));
    }
    expect(await applied()).toEqual([{ event_id: 'd1', value: '1' }, { event_id: 'd2', value: '2' }]);
    const rows = await outbox();
    expect(rows.map((r) => [r.sequence, r.headers['ce-sequence'], r.headers['ce-subject']])).toEqual([
      ['1', '00000000000000000001', 'u1'],
      ['2', '00000000000000000002', 'u1'],
    ]);
  });

  it('writes neither when the row fails, and the sequence does not move', async () => {
    const first = fx.db.insertInto('applied').values({ event_id: 'dup', user_key: 'u2', value: '1' });
    await enqueueEventWith(fx.db, first, codec, 'signals.test.counted', counted(1), { userId: 'u2' });
    const again = fx.db.insertInto('applied').values({ event_id: 'dup', user_key: 'u2', value: '2' });
    await expect(enqueueEventWith(fx.db, again, codec, 'signals.test.counted', counted(2), { userId: 'u2' })).rejects.toThrow(/duplicate key/);
    expect(await applied()).toHaveLength(1);
    expect((await outbox()).map((r) => r.sequence)).toEqual(['1']);
    const next = fx.db.insertInto('applied').values({ event_id: 'next', user_key: 'u2', value: '3' });
    expect((await enqueueEventWith(fx.db, next, codec, 'signals.test.counted', counted(3), { userId: 'u2' })).sequence).toBe(2n);
  });

  it('writes an event without a user, unsequenced, the same way', async () => {
    const row = fx.db.insertInto('applied').values({ event_id: 'system', user_key: null, value: '0' });
    const written = await enqueueEventWith(fx.db, row, codec, 'signals.test.counted', counted(0));
    expect(written.sequence).toBeUndefined();
    expect((await outbox()).map((r) => [r.id, r.sequence, r.headers['ce-sequence']])).toEqual([[written.id, null, undefined]]);
  });
});
