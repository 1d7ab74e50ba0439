import { chooseIndex } from '@oo/bandit';
import { ContextFeatureStatus } from '@oo/contracts';
import { createLogger } from '@oo/logger';
import { createProfileClient, NEUTRAL_FALLBACKS } from '../src/features/context/profile-client';
import { localPolicyProbabilities } from '../src/features/scoring/local-policy';
import { eventually } from '@oo/testing';
import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';
import type { UpstreamMode } from './support/fake-upstreams';

interface Recommendation {
  decisionId: string;
  tip: { id: string };
  policy: string;
  modelVersion: string;
  propensity: number;
}

// When ml-serving or profile cannot answer, the user still gets a tip and the log says exactly how it was chosen.
describe('recommend when upstreams fail', () => {
  let h: RecommenderHarness;
  const now = new Date('2026-11-23T10:00:00Z');

  const servedEvent = (decisionId: string) =>
    eventually(async () => (await h.eventsOn('signals.tip.served')).find((e) => e.message.decisionId === decisionId)?.message, `served event ${decisionId}`);
  const recommendWithMl = async (mode: UpstreamMode) => {
    h.ml.mode = mode;
    try {
      const res = await h.call('POST', '/v1/recommend', 'fay');
      expect(res.status).toBe(200);
      return res.body as unknown as Recommendation;
    } finally {
      h.ml.mode = 'ok';
    }
  };

  beforeAll(async () => {
    h = await startRecommenderHarness({ label: 'recommender-fallback', clock: () => now });
    await h.db
      .insertInto('tasks')
      .values(['late', 'soon'].map((id, i) => ({
        task_id: id,
        user_id: 'fay',
        source: 'todoist',
        title: id,
        due_at: new Date(now.getTime() + (i === 0 ? -3_600_000 : 7_200_000)),
        priority: 2,
        created_at: new Date('2026-11-01T00:00:00Z'),
        completed_at: null,
        url: '',
        version_at: now,
        deleted: false,
      })))
      .execute();
  });
  afterAll(() => h.stop());

  it.each([
    ['slow', 'timeout'],
    ['down', 'unavailable'],
    ['garbage', 'error'],
  ] as const)('ml-serving %s → the local policy chooses, marked with reason %s and its true propensities', async (mode, reason) => {
    const tip = await recommendWithMl(mode);
    expect(tip).toMatchObject({ policy: 'local-urgency', modelVersion: '' });
    const served = await servedEvent(tip.decisionId);
    expect(served).toMatchObject({ fallback: true, fallbackReason: reason, policy: 'local-urgency', modelVersion: '', shadowPolicies: [] });
    // The logged vector is the local policy's own over the logged raw features, and the choice replays from the decision id.
    expect(served.probabilities).toEqual(localPolicyProbabilities(served.candidates.map((c) => c.features), 0.2));
    expect(served.candidates[0]?.candidateId).toBe('late');
    expect(served.probabilities[0]).toBeGreaterThan(0.8); // overdue beats everything else
    expect(chooseIndex(served.probabilities, tip.decisionId).index).toBe(served.chosenIndex);
    expect(served.propensity).toBeCloseTo(served.probabilities[served.chosenIndex] ?? NaN, 12);
    expect(tip.propensity).toBe(served.propensity);
    const row = await h.db.selectFrom('decisions').select(['fallback', 'fallback_reason', 'model_version']).where('decision_id', '=', tip.decisionId).executeTakeFirstOrThrow();
    expect(row).toEqual({ fallback: true, fallback_reason: reason, model_version: '' });
  });

  it('goes back to the live policy as soon as ml-serving answers again', async () => {
    const tip = await recommendWithMl('ok');
    expect(tip.policy).toBe('linucb');
    expect((await servedEvent(tip.decisionId)).fallback).toBe(false);
  });

  it.each(['down', 'slow'] as const)("profile %s → the registry's fallbacks, each marked as a fallback", async (mode) => {
    h.profile.mode = mode;
    try {
      const res = await h.call('POST', '/v1/recommend', 'fay');
      expect(res.status).toBe(200);
      const served = await servedEvent((res.body as unknown as Recommendation).decisionId);
      expect(served.fallback).toBe(false);
      expect(served.context?.features.map((f) => [f.name, f.value.value, f.status])).toEqual([
        ['completion_rate_30d', 0.1, ContextFeatureStatus.FALLBACK],
        ['preferred_hour', 9, ContextFeatureStatus.FALLBACK],
        ['favourite_tip_kind_30d', 'none', ContextFeatureStatus.FALLBACK],
      ]);
      expect(h.ml.requests.at(-1)?.context.features.every((f) => f.status === 'fallback')).toBe(true);
    } finally {
      h.profile.mode = 'ok';
    }
  });

  it('uses neutral fallbacks when the registry was never reachable', async () => {
    const client = createProfileClient({
      baseUrl: 'http://127.0.0.1:9', // discard port: nothing listens
      serviceToken: async () => h.serviceToken,
      timeoutMs: 500,
      registryRefreshMs: 60_000,
      log: createLogger({ service: 'recommender', level: 'silent' }),
    });
    try {
      expect(await client.refreshRegistry()).toBe(false);
      expect(await client.features('fay')).toEqual({ features: NEUTRAL_FALLBACKS, failure: 'unavailable' });
    } finally {
      client.stop();
    }
  });
});
