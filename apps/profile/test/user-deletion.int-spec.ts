import { erasedUserDigest } from '@oo/events';
import { createHash } from 'node:crypto';
import { create, fromBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionReceiptSchema, DeletionRequestedSchema, ExportRequestedSchema, Reaction, TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import { sql } from '@oo/db';
import { exportedPart } from '@oo/service-testing';
import { eventually } from '@oo/testing';
import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

interface Column {
  table_name: string;
  column_name: string;
}

// users.deletion.requested erases every row of the user in the whole profile schema — found by
// scanning information_schema, so a table added later without erasure fails here — and the
// profile's receipt goes out on the USERS stream.
describe('profile user deletion', () => {
  let h: ProfileHarness;
  const now = new Date('2026-11-20T18:00:00Z');
  const gone = 'del-gone';
  const stays = 'del-stays';

  const call = async (method: string, path: string, userId: string, body?: unknown) => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await h.tokenFor(userId)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
  };
  const handled = async (durable: string): Promise<number> => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from event_inbox where consumer = ${durable}`.execute(h.db);
    return rows[0]?.n ?? 0;
  };
  const serve = (userId: string, decisionId: string) =>
    h.publish('signals.tip.served', create(TipServedSchema, { decisionId, userId, tipId: `t-${decisionId}`, tipKind: 'task', servedAt: timestampFromDate(now) }), userId);
  const react = (userId: string, decisionId: string) =>
    h.publish(
      'signals.tip.feedback',
      create(TipFeedbackSchema, { decisionId, userId, tipId: `t-${decisionId}`, reaction: Reaction.DONE, reactedAt: timestampFromDate(now), dwellMs: 1_000n }),
      userId,
    );
  // Every text-like column of every table in the schema, and how many rows hold `userId` there.
  const rowsMentioning = async (userId: string): Promise<Record<string, number>> => {
    const { rows: columns } = await sql<Column>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type in ('text', 'uuid', 'character varying', 'character')`.execute(h.db);
    expect(new Set(columns.map((c) => c.table_name)).size).toBeGreaterThanOrEqual(10);
    const found: Record<string, number> = {};
    for (const { table_name: table, column_name: column } of columns) {
      // The receipt goes out naming only its request, so not even its outbox row names the user.
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)}::text = ${userId}`.execute(h.db);
      if ((rows[0]?.n ?? 0) > 0) found[`${table}.${column}`] = rows[0]?.n ?? 0;
    }
    return found;
  };
  const receipts = async () => {
    const stream = `${h.bus.prefix}_USERS`;
    const { state } = await h.bus.jsm.streams.info(stream);
    const found = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const stored = await h.bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (stored?.subject === `${h.bus.prefix}.users.deletion.receipt`) {
        found.push({ source: stored.header.get('ce-source'), receipt: fromBinary(DeletionReceiptSchema, stored.data) });
      }
    }
    return found;
  };

  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-user-deletion', clock: () => now });
  });
  afterAll(() => h.stop());

  it('leaves no row with the user id in any table of the schema and publishes the receipt', async () => {
    const textHash = createHash('sha256').update('We may send you push notifications.').digest('hex');
    for (const user of [gone, stays]) {
      await call('PUT', `/v1/profiles/${user}/preferences`, user, { timezone: 'Europe/Berlin', channels: ['push'], tipCadence: 'normal' });
      await call('POST', `/v1/profiles/${user}/consents`, user, { purpose: 'push_notifications', version: 'v1', textHash, granted: true });
      await serve(user, `${user}-d1`);
      await react(user, `${user}-d1`);
    }
    await eventually(async () => ((await handled('profile__tip_feedback')) === 2 && (await handled('profile__tip_served')) === 2 ? true : undefined), 'tips projected');
    for (const user of [gone, stays]) await call('GET', `/v1/profiles/${user}/features`, user);
    const before = await rowsMentioning(gone);
    for (const table of ['profiles', 'preferences', 'consent_events', 'tip_served', 'tip_feedback', 'user_profile_features', 'event_outbox']) {
      expect(Object.keys(before).some((key) => key.startsWith(`${table}.`))).toBe(true);
    }

    await h.publish('users.deletion.requested', create(DeletionRequestedSchema, { userId: gone, requestId: 'req-9', requestedAt: timestampFromDate(now) }), gone);
    const [published] = await eventually(async () => {
      const found = await receipts();
      return found.length > 0 ? found : undefined;
    }, 'deletion receipt on the stream');
    expect(published?.source).toBe('/services/profile');
    expect(published?.receipt).toMatchObject({ userId: '', requestId: 'req-9', service: 'profile' });

    // The erased-user record (a digest, not the id) makes late events no-ops; no row names the user.
    expect(await rowsMentioning(gone)).toEqual({});
    expect((await h.db.selectFrom('event_erased_user' as never).select('user_key' as never).execute()) as unknown[]).toContainEqual({ user_key: erasedUserDigest(gone) });
    expect(Object.keys(await rowsMentioning(stays)).length).toBeGreaterThanOrEqual(7);
  });

  it('ignores a late tip event for the erased user', async () => {
    const served = await handled('profile__tip_served');
    await serve(gone, `${gone}-late`);
    await serve(stays, `${stays}-d2`);
    await eventually(async () => ((await handled('profile__tip_served')) === served + 2 ? true : undefined), 'both events handled');
    expect(await rowsMentioning(gone)).toEqual({});
  });

  it("answers exports.requested with the user's rows of every table, described by the schema, and nobody else's", async () => {
    const other = 'exp-other';
    await call('PUT', `/v1/profiles/${other}/preferences`, other, { timezone: 'Asia/Tokyo', channels: ['email'], tipCadence: 'low' });
    await serve(other, `${other}-d1`);
    await h.publish('exports.requested', create(ExportRequestedSchema, { requestId: 'exp-1', userId: stays, requestedAt: timestampFromDate(now) }), stays);
    const part = await exportedPart(h, 'exp-1');
    expect(part.service).toBe('profile');
    expect(part.document['preferences']).toEqual([expect.objectContaining({ channels: ['push'], tip_cadence: 'normal' })]);
    expect(part.document['consent_events']).toEqual([expect.objectContaining({ purpose: 'push_notifications', action: 'granted' })]);
    expect(part.document['tip_served']?.map((r) => r['decision_id']).sort()).toEqual([`${stays}-d1`, `${stays}-d2`]);
    expect(part.document['tip_feedback']).toEqual([expect.objectContaining({ decision_id: `${stays}-d1`, reaction: 'done' })]);
    expect(part.document['user_profile_features']?.length).toBeGreaterThan(0);
    expect(JSON.stringify(part.document)).not.toMatch(/exp-other|Asia\/Tokyo|del-gone/);
    // Every exported column is described in the schema (COMMENT ON COLUMN), and only those are exported.
    expect(part.fields.length).toBeGreaterThan(20);
    expect(part.fields.filter((f) => !f.description)).toEqual([]);
    for (const [table, rows] of Object.entries(part.document)) {
      const named = part.fields.filter((f) => f.table === table).map((f) => f.column);
      for (const row of rows) expect(Object.keys(row).sort()).toEqual([...named].sort());
    }
  });
});
