import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Reaction, TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import { eventually } from '@oo/testing';
import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

type Features = Record<string, { value: unknown; status: string }>;

// Issue 10: a tip served after the rates were computed must move their denominator at once, and
// without sending the next read down the cold path.
describe('a tip served after the features were read', () => {
  let h: ProfileHarness;
  const now = new Date('2026-11-20T18:00:00Z');
  const user = 'cai';
  const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 20, 12, minute));

  const features = async (): Promise<Features> => {
    const res = await fetch(`${h.baseUrl}/v1/profiles/${user}/features`, { headers: { authorization: `Bearer ${await h.tokenFor(user)}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { features: { name: string; value: unknown; status: string }[] };
    return Object.fromEntries(body.features.map((f) => [f.name, { value: f.value, status: f.status }]));
  };
  const serve = (decisionId: string, minute: number) =>
    h.publish('signals.tip.served', create(TipServedSchema, { decisionId, userId: user, tipId: `t-${decisionId}`, tipKind: 'task', servedAt: timestampFromDate(at(minute)) }), user);
  const react = (decisionId: string, reaction: Reaction, minute: number) =>
    h.publish('signals.tip.feedback', create(TipFeedbackSchema, { decisionId, userId: user, tipId: `t-${decisionId}`, reaction, reactedAt: timestampFromDate(at(minute)), dwellMs: 1000n }), user);
  const projected = (table: 'tip_served' | 'tip_feedback', n: number) =>
    eventually(async () => {
      const row = await h.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', user).executeTakeFirstOrThrow();
      return Number(row.n) === n ? true : undefined;
    }, `${n} rows in ${table}`);

  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-served-late', clock: () => now });
  });
  afterAll(() => h.stop());

  it('answers 1/4 done and 1/4 dismissed after the fourth tip, from warm rows', async () => {
    await serve('s1', 0);
    await serve('s2', 1);
    await serve('s3', 2);
    await projected('tip_served', 3);
    await react('s1', Reaction.DONE, 3);
    await react('s2', Reaction.DISMISS, 4);
    await projected('tip_feedback', 2);
    const before = await features();
    expect(before['completion_rate_30d']?.value).toBe(1 / 3);
    expect(before['dismiss_rate_30d']?.value).toBe(1 / 3);
    expect(before['tip_volume_30d']?.value).toBe(3);

    await serve('s4', 5);
    await projected('tip_served', 4);
    const after = await features();
    expect(after['completion_rate_30d']).toEqual({ value: 1 / 4, status: 'fresh' });
    expect(after['dismiss_rate_30d']).toEqual({ value: 1 / 4, status: 'fresh' });
    expect(after['tip_volume_30d']).toEqual({ value: 4, status: 'fresh' });
  });
});
