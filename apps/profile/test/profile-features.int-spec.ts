import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { isSubject, Reaction, TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import { createDb, inTransaction, migrateToLatest, type Kysely } from '@oo/db';
import { createTestSchema, type TestSchema } from '@oo/testing';
import type { ProfileDatabase } from '../src/db/database';
import { profileMigrations } from '../src/db/migrations';
import { projectTipFeedback } from '../src/events/consumers/tip-feedback.consumer';
import { projectTipServed } from '../src/events/consumers/tip-served.consumer';
import { ProfileFeaturesService, type ProfileFeatures } from '../src/features/profile-features/profile-features.service';
import { defineFeature } from '../src/features/registry/feature-definition';
import { FeatureRegistry } from '../src/features/registry/feature-registry';
import { initialFeatures } from '../src/features/registry/initial-features';

const isKnown = (s: string): boolean => isSubject(s);
const NOW = new Date('2026-11-20T12:00:00Z');
const at = (iso: string): Date => new Date(iso);

describe('profile features over the projections', () => {
  let target: TestSchema;
  let db: Kysely<ProfileDatabase>;
  let now: Date;
  let features: ProfileFeaturesService;
  const registry = new FeatureRegistry(initialFeatures, isKnown);

  // As the consumers do: project, then apply the change to the cached features in the same transaction.
  const served = (decisionId: string, userId: string, kind: string, servedAt: Date) =>
    inTransaction(db, async (trx) => {
      const msg = create(TipServedSchema, { decisionId, userId, tipId: `tip-${decisionId}`, tipKind: kind, servedAt: timestampFromDate(servedAt) });
      const projected = await projectTipServed(trx, msg);
      await features.applyEvent(trx, userId, 'signals.tip.served', projected.change);
    });
  const feedback = (decisionId: string, userId: string, reaction: Reaction, reactedAt: Date, dwellMs: number) =>
    inTransaction(db, async (trx) => {
      const msg = create(TipFeedbackSchema, { decisionId, userId, tipId: `tip-${decisionId}`, reaction, reactedAt: timestampFromDate(reactedAt), dwellMs: BigInt(dwellMs) });
      const projected = await projectTipFeedback(trx, msg);
      await features.applyEvent(trx, userId, 'signals.tip.feedback', projected.change);
    });
  const valueOf = (p: ProfileFeatures, name: string) => p.features.find((f) => f.name === name);

  beforeAll(async () => {
    target = await createTestSchema('profile_features');
    db = createDb<ProfileDatabase>({ url: target.url, schema: target.schema });
    await migrateToLatest(db, { schema: target.schema, migrations: profileMigrations });
    now = NOW;
    features = new ProfileFeaturesService({ db, registry, clock: () => now });
    await db.insertInto('profiles').values({ user_id: 'ana', timezone: 'America/New_York' }).execute();
    // Ana, in New York (UTC-5 in November). Outside the window: one served + done 40 days ago.
    await served('old', 'ana', 'task', at('2026-10-11T12:00:00Z'));
    await served('d1', 'ana', 'task', at('2026-11-18T13:00:00Z'));
    await served('d2', 'ana', 'advice', at('2026-11-18T14:00:00Z'));
    await served('d3', 'ana', 'advice', at('2026-11-19T15:00:00Z'));
    await served('d4', 'ana', 'task', at('2026-11-19T16:00:00Z'));
  });
  beforeEach(() => {
    now = NOW;
    features = new ProfileFeaturesService({ db, registry, clock: () => now });
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  it('serves fallbacks for a user it has never heard of', async () => {
    const p = await features.getProfile('nobody');
    expect(p.registryVersion).toBe(registry.version);
    expect(p.features.map((f) => [f.name, f.value, f.status])).toEqual([
      ['completion_rate_30d', 0, 'fallback'],
      ['dismiss_rate_30d', 0, 'fallback'],
      ['mean_dwell_ms_30d', 0, 'fallback'],
      ['preferred_hour', 9, 'fallback'],
      ['tip_volume_30d', 0, 'fallback'],
      ['favourite_tip_kind_30d', 'none', 'fallback'],
    ]);
  });

  it('computes the hand-computed values, with preferred_hour in the user timezone', async () => {
    await feedback('old', 'ana', Reaction.DONE, at('2026-10-11T12:10:00Z'), 600_000);
    await feedback('d1', 'ana', Reaction.DONE, at('2026-11-18T13:01:00Z'), 60_000); // 08:01 New York
    await feedback('d2', 'ana', Reaction.DISMISS, at('2026-11-18T14:00:30Z'), 30_000);
    await feedback('d3', 'ana', Reaction.DONE, at('2026-11-19T15:00:30Z'), 30_000); // 10:00 New York
    await feedback('d4', 'ana', Reaction.DONE, at('2026-11-19T15:59:00Z'), 0); // 10:59 New York (reacted before served is tolerated)
    const p = await features.getProfile('ana');
    expect(valueOf(p, 'tip_volume_30d')).toMatchObject({ value: 4, status: 'recomputed' });
    expect(valueOf(p, 'completion_rate_30d')).toMatchObject({ value: 3 / 4, status: 'recomputed' });
    expect(valueOf(p, 'dismiss_rate_30d')).toMatchObject({ value: 1 / 4 });
    expect(valueOf(p, 'mean_dwell_ms_30d')).toMatchObject({ value: (60_000 + 30_000 + 30_000 + 0) / 4 });
    expect(valueOf(p, 'preferred_hour')).toMatchObject({ value: 10 });
    expect(valueOf(p, 'favourite_tip_kind_30d')).toMatchObject({ value: 'task', dtype: 'categorical' });
    const again = await features.getProfile('ana');
    expect(again.features.every((f) => f.status === 'fresh')).toBe(true);
  });

  it('recomputes only what an event invalidates, and folds counted features in place', async () => {
    now = new Date(NOW.getTime() + 60_000);
    await served('d5', 'ana', 'task', at('2026-11-20T11:00:00Z'));
    await feedback('d5', 'ana', Reaction.DISMISS, at('2026-11-20T11:30:00Z'), 1_800_000);
    const p = await features.getProfile('ana');
    expect(valueOf(p, 'dismiss_rate_30d')).toMatchObject({ value: 2 / 5, status: 'fresh' });
    expect(valueOf(p, 'completion_rate_30d')).toMatchObject({ value: 3 / 5, status: 'fresh' });
    expect(valueOf(p, 'tip_volume_30d')).toMatchObject({ value: 5, status: 'fresh' });
    expect(valueOf(p, 'mean_dwell_ms_30d')?.status).toBe('recomputed');
    expect(valueOf(p, 'favourite_tip_kind_30d')?.status).toBe('recomputed');
  });

  it('counts a reaction projected before its served event, and a redelivered decision once', async () => {
    await feedback('d6', 'ana', Reaction.DONE, at('2026-11-20T11:40:00Z'), 1000);
    await served('d6', 'ana', 'advice', at('2026-11-20T11:35:00Z'));
    await served('d6', 'ana', 'advice', at('2026-11-20T11:35:00Z')); // another event for the same decision
    await served('ancient', 'ana', 'task', at('2026-09-01T00:00:00Z')); // outside the cached window
    const p = await features.getProfile('ana');
    expect(valueOf(p, 'completion_rate_30d')).toMatchObject({ value: 4 / 6, status: 'fresh' });
    expect(valueOf(p, 'dismiss_rate_30d')).toMatchObject({ value: 2 / 6, status: 'fresh' });
    expect(valueOf(p, 'tip_volume_30d')).toMatchObject({ value: 6, status: 'fresh' });
    const rebuilt = await features.rebuild('ana');
    for (const name of ['completion_rate_30d', 'dismiss_rate_30d', 'tip_volume_30d']) expect(valueOf(rebuilt, name)?.value).toBe(valueOf(p, name)?.value);
  });

  it('folds a served event and its reaction projected at the same moment, whichever commits first', async () => {
    await db.insertInto('profiles').values({ user_id: 'bo', timezone: 'UTC' }).execute();
    await served('bo-0', 'bo', 'task', at('2026-11-20T10:00:00Z'));
    await features.getProfile('bo'); // warm rows, so the folds below update them in place
    // Each pair races: two transactions, each reading the other's half after the user's lock.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => [
        served(`bo-${i + 1}`, 'bo', 'task', at('2026-11-20T10:30:00Z')),
        feedback(`bo-${i + 1}`, 'bo', Reaction.DONE, at('2026-11-20T10:31:00Z'), 500),
      ]).flat(),
    );
    const p = await features.getProfile('bo');
    expect(valueOf(p, 'tip_volume_30d')).toMatchObject({ value: 13, status: 'fresh' });
    expect(valueOf(p, 'completion_rate_30d')).toMatchObject({ value: 12 / 13, status: 'fresh' });
    const rebuilt = await features.rebuild('bo');
    expect(valueOf(rebuilt, 'completion_rate_30d')?.value).toBe(12 / 13);
  });

  it('recomputes entries past their TTL and keeps younger ones', async () => {
    await features.rebuild('ana');
    now = new Date(NOW.getTime() + 60_000 + 3600_000); // tip_volume (1 h) expires, the 6 h features do not
    const p = await features.getProfile('ana');
    expect(valueOf(p, 'tip_volume_30d')).toMatchObject({ value: 6, status: 'recomputed' });
    expect(valueOf(p, 'completion_rate_30d')?.status).toBe('fresh');
    expect(valueOf(p, 'completion_rate_30d')?.ageSec).toBe(3660); // rebuilt at NOW
  });

  it('recomputes everything when the registry version changes', async () => {
    const extra = defineFeature({ name: 'always_one', dtype: 'numeric', ttlSec: 60, description: 'one', invalidatedBy: [], fallback: 0, compute: async () => 1 });
    const next = new ProfileFeaturesService({ db, registry: new FeatureRegistry([...initialFeatures, extra], isKnown), clock: () => now });
    const p = await next.getProfile('ana');
    expect(p.features.every((f) => f.status === 'recomputed')).toBe(true);
    expect(valueOf(p, 'always_one')?.value).toBe(1);
  });

  it('recomputes once for concurrent reads of one user', async () => {
    let computations = 0;
    const counted = defineFeature({
      name: 'counted',
      dtype: 'numeric',
      ttlSec: 60,
      description: 'counts its computations',
      invalidatedBy: [],
      fallback: 0,
      compute: async () => ++computations,
    });
    const service = new ProfileFeaturesService({ db, registry: new FeatureRegistry([counted], isKnown), clock: () => now });
    const results = await Promise.all(Array.from({ length: 10 }, () => service.getProfile('ana')));
    expect(computations).toBe(1);
    expect(new Set(results.map((r) => r.features[0]?.value))).toEqual(new Set([1]));
  });
});
