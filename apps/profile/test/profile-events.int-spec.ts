import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Reaction, TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import type { EncodedEvent } from '@oo/events';
import { subjects } from '@oo/contracts';
import { createEventCodec } from '@oo/events';

const recommenderEvents = createEventCodec(subjects, { source: 'recommender' });
import { defineFeature } from '../src/features/registry/feature-definition';
import { initialFeatures } from '../src/features/registry/initial-features';
import { createProfileService } from '../src/service';
import { eventually } from '@oo/testing';
import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

type Features = Record<string, { value: unknown; status: string }>;

// Events published on the real JetStream reach the real service and change what it serves.
describe('profile service fed by the bus', () => {
  let h: ProfileHarness;
  let now = new Date('2026-11-20T18:00:00Z');
  const user = 'bea';

  const features = async (): Promise<Features> => {
    const res = await fetch(`${h.baseUrl}/v1/profiles/${user}/features`, { headers: { authorization: `Bearer ${await h.tokenFor(user)}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { features: { name: string; value: unknown; status: string }[] };
    return Object.fromEntries(body.features.map((f) => [f.name, { value: f.value, status: f.status }]));
  };
  const featuresWhen = (what: string, ready: (f: Features) => boolean): Promise<Features> =>
    eventually(async () => {
      const read = await features();
      return ready(read) ? read : undefined;
    }, what);
  const serve = (decisionId: string, kind: string, at: Date) =>
    h.publish('signals.tip.served', create(TipServedSchema, { decisionId, userId: user, tipId: `t-${decisionId}`, tipKind: kind, servedAt: timestampFromDate(at) }), user);
  const feedbackEvent = (decisionId: string, reaction: Reaction, at: Date, dwellMs: number, id?: string): EncodedEvent => {
    const msg = create(TipFeedbackSchema, { decisionId, userId: user, tipId: `t-${decisionId}`, reaction, reactedAt: timestampFromDate(at), dwellMs: BigInt(dwellMs) });
    return recommenderEvents.encode('signals.tip.feedback', msg, { userId: user, ...(id ? { id } : {}) });
  };
  const react = (decisionId: string, reaction: Reaction, at: Date, dwellMs: number, id?: string) => h.bus.publish(feedbackEvent(decisionId, reaction, at, dwellMs, id));
  const feedbackRows = async (): Promise<number> =>
    Number((await h.db.selectFrom('tip_feedback').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-events', clock: () => now });
    await h.db.insertInto('profiles').values({ user_id: user, timezone: 'Asia/Tokyo' }).execute();
  });
  afterAll(() => h.stop());

  it('projects served and feedback events into hand-computed values, preferred_hour in Tokyo time', async () => {
    await serve('a', 'task', new Date('2026-11-20T00:00:00Z'));
    await serve('b', 'advice', new Date('2026-11-20T01:00:00Z'));
    await serve('c', 'task', new Date('2026-11-20T02:00:00Z'));
    await react('a', Reaction.DONE, new Date('2026-11-20T00:30:00Z'), 1_800_000); // 09:30 in Tokyo
    await react('b', Reaction.SNOOZE, new Date('2026-11-20T01:10:00Z'), 600_000);
    await react('c', Reaction.DONE, new Date('2026-11-20T02:20:00Z'), 1_200_000); // 11:20 in Tokyo
    await react('x', Reaction.DONE, new Date('2026-11-20T02:25:00Z'), 60_000); // 11:25 in Tokyo, for a tip never served here
    await eventually(async () => ((await feedbackRows()) === 4 ? true : undefined), 'four reactions projected');
    const f = await featuresWhen('three served tips counted', (read) => read['tip_volume_30d']?.value === 3);
    expect(f['completion_rate_30d']).toEqual({ value: 2 / 3, status: 'recomputed' });
    expect(f['dismiss_rate_30d']).toEqual({ value: 0, status: 'recomputed' });
    expect(f['mean_dwell_ms_30d']?.value).toBe((1_800_000 + 600_000 + 1_200_000 + 60_000) / 4);
    expect(f['preferred_hour']?.value).toBe(11); // two done reactions at 11 h Tokyo, one at 9 h
    expect(f['favourite_tip_kind_30d']?.value).toBe('task');
  });

  it('shows a new reaction on the next read, long before the TTL, and a redelivery changes nothing', async () => {
    expect((await features())['dismiss_rate_30d']?.status).toBe('fresh');
    await serve('d', 'advice', new Date('2026-11-20T03:00:00Z'));
    await eventually(async () => (await h.db.selectFrom('tip_served').select('decision_id').where('decision_id', '=', 'd').executeTakeFirst()) ?? undefined, 'served d projected');
    await react('d', Reaction.DISMISS, new Date('2026-11-20T03:05:00Z'), 300_000, 'feedback-d');
    const f = await featuresWhen('dismiss rate updated', (read) => read['dismiss_rate_30d']?.value === 1 / 4);
    expect(f['dismiss_rate_30d']?.status).toBe('fresh'); // folded into the cached row, not recomputed

    // The same event (same ce-id) delivered again under a new broker id, then a marker behind it.
    await h.bus.publish({ ...feedbackEvent('d', Reaction.DONE, new Date('2026-11-20T03:06:00Z'), 1, 'feedback-d'), msgId: 'feedback-d-again' });
    await react('marker', Reaction.DONE, new Date('2026-11-20T03:07:00Z'), 1);
    await eventually(async () => ((await feedbackRows()) === 6 ? true : undefined), 'marker projected after the duplicate');
    const d = await h.db.selectFrom('tip_feedback').select(['reaction', 'dwell_ms']).where('decision_id', '=', 'd').executeTakeFirstOrThrow();
    expect(d).toEqual({ reaction: 'dismiss', dwell_ms: 300_000 });
  });

  it('recomputes an entry once its TTL has run out', async () => {
    await features();
    now = new Date(now.getTime() + 3600_000 + 1000); // tip_volume_30d has a 1 h TTL
    const f = await features();
    expect(f['tip_volume_30d']?.status).toBe('recomputed');
    expect(f['completion_rate_30d']?.status).toBe('fresh');
  });

  it('refuses to start with a misspelt subject, naming the feature and the subject', async () => {
    const typo = defineFeature({ name: 'typo_feature', dtype: 'numeric', ttlSec: 60, description: 'x', invalidatedBy: ['signals.tip.feedbak'], fallback: 0, compute: async () => 1 });
    expect(() => createProfileService([...initialFeatures, typo])).toThrow(/typo_feature.*signals\.tip\.feedbak/);
  });
});
