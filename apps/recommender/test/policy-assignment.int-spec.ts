import { eventually } from '@oo/testing';
import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';

// A promotion in ml-serving reaches the recommender through its model replica (ADR 0019): the
// decisions after it are chosen by the promoted policy, and the decision log says so.
describe('the promoted policy assignment', () => {
  let h: RecommenderHarness;
  const now = new Date('2026-11-23T10:00:00Z'); // Monday 10:00 UTC
  const decide = async () => {
    const res = await h.call('POST', '/v1/recommend', 'ivy');
    expect(res.status).toBe(200);
    const decisionId = res.body['decisionId'] as string;
    const served = await eventually(async () => (await h.eventsOn('signals.tip.served')).find((e) => e.message.decisionId === decisionId), `served ${decisionId}`);
    return { response: res.body, served: served.message };
  };

  beforeAll(async () => {
    // The replica on (the harness turns it off by default), following the fake's replica routes.
    h = await startRecommenderHarness({ label: 'ds-recommender-assignment', clock: () => now, env: { MODEL_REPLICA: 'on', MODEL_REPLICA_WAIT_MS: '100' } });
    await h.db
      .insertInto('tasks')
      .values({ task_id: 'write', user_id: 'ivy', source: 'todoist', title: 'Write', due_at: null, priority: 2, created_at: new Date(now.getTime() - 86_400_000), completed_at: null, url: '', version_at: now, deleted: false })
      .execute();
    await eventually(async () => (h.service.ctx.replica?.version() !== undefined ? true : undefined), 'the replica loaded');
  });
  afterAll(() => h.stop());

  it('chooses with the configured live policy until a promotion, then with the promoted one, and back after a reversal', async () => {
    const before = await decide();
    expect(before.served.policy).toBe('linucb');
    expect(before.served.fallback).toBe(false);
    expect(before.served.shadowPolicies.map((s) => s.policy)).toEqual(['thompson', 'epsilon-greedy', 'uniform']);
    expect(h.ml.requests).toHaveLength(0); // scored in process, on the replica

    h.ml.assignment = { live: 'thompson', shadows: ['linucb', 'epsilon-greedy', 'uniform'], promotionId: 'promo-1' };
    await eventually(async () => (h.service.ctx.replica?.assignment()?.promotionId === 'promo-1' ? true : undefined), 'the assignment reaching the replica');
    const after = await decide();
    expect(after.response['policy']).toBe('thompson');
    expect(after.served.policy).toBe('thompson');
    expect(after.served.shadowPolicies.map((s) => s.policy)).toEqual(['linucb', 'epsilon-greedy', 'uniform']);
    expect(after.served.shadowPolicies.every((s) => s.probabilities.length === after.served.candidates.length)).toBe(true);

    h.ml.assignment = { live: 'linucb', shadows: ['thompson', 'epsilon-greedy', 'uniform'], promotionId: 'promo-2' };
    await eventually(async () => (h.service.ctx.replica?.assignment()?.promotionId === 'promo-2' ? true : undefined), 'the reversal reaching the replica');
    expect((await decide()).served.policy).toBe('linucb');
  });
});
