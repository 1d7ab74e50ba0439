import { chooseIndex } from '@oo/bandit';
import { ContextFeatureStatus } from '@oo/contracts';
import { CANDIDATE_FEATURES } from '@oo/decision-features';
import { eventually } from '@oo/testing';
import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';

interface Recommendation {
  decisionId: string;
  tip: { id: string; kind: string; title: string; body: string; taskId?: string };
  policy: string;
  modelVersion: string;
  propensity: number;
}

describe('POST /v1/recommend', () => {
  let h: RecommenderHarness;
  let now = new Date('2026-11-23T10:00:00Z'); // Monday 10:00 UTC
  const hoursFromNow = (hours: number) => new Date(now.getTime() + hours * 3_600_000);

  const seedTask = (userId: string, taskId: string, dueInHours: number | null, priority = 4) =>
    h.db
      .insertInto('tasks')
      .values({
        task_id: taskId,
        user_id: userId,
        source: 'google_tasks',
        title: `Task ${taskId}`,
        due_at: dueInHours === null ? null : hoursFromNow(dueInHours),
        priority,
        created_at: hoursFromNow(-24),
        completed_at: null,
        url: '',
        version_at: hoursFromNow(-1),
        deleted: false,
      })
      .execute();
  const servedEvent = (decisionId: string) =>
    eventually(async () => (await h.eventsOn('signals.tip.served')).find((e) => e.message.decisionId === decisionId), `served event ${decisionId}`);

  beforeAll(async () => {
    h = await startRecommenderHarness({ label: 'recommender-recommend', clock: () => now });
    await seedTask('eva', 'report', -2, 1);
    await seedTask('eva', 'groceries', 5);
    await seedTask('eva', 'someday', null);
  });
  afterAll(() => h.stop());

  it('serves a tip chosen by the live policy and publishes the complete decision', async () => {
    const res = await h.call('POST', '/v1/recommend', 'eva');
    expect(res.status).toBe(200);
    const tip = res.body as unknown as Recommendation;
    expect(tip).toMatchObject({ policy: 'linucb', modelVersion: 'fl-test/7' });

    // What ml-serving was asked: every candidate with raw features, the context, live + shadows, with the service token.
    const request = h.ml.requests.at(-1);
    expect(h.ml.authorizations.at(-1)).toBe(`Bearer ${h.serviceToken}`);
    expect(request?.decisionId).toBe(tip.decisionId);
    expect(request?.policies).toEqual(['linucb', 'thompson', 'epsilon-greedy', 'uniform']);
    expect(request?.candidateFeatures).toEqual(CANDIDATE_FEATURES);
    expect(request?.candidates.slice(0, 3).map((c) => c.id)).toEqual(['task:report', 'task:groceries', 'task:someday']);
    expect(request?.candidates.slice(3).every((c) => c.id.startsWith('advice:'))).toBe(true);
    expect(request?.context.features).toContainEqual({ name: 'favourite_tip_kind_30d', value: 'task', status: 'fresh' });

    const { message: served, headers } = await servedEvent(tip.decisionId);
    const n = request?.candidates.length ?? 0;
    expect(headers['ce-subject']).toBe('eva');
    expect(served.userId).toBe('eva');
    expect(served.featureLayout).toEqual(CANDIDATE_FEATURES);
    expect(served.candidates).toHaveLength(n);
    expect(served.candidates[0]).toMatchObject({ candidateId: 'report', kind: 'task', taskId: 'report', features: request?.candidates[0]?.features });
    expect(served.candidates[3]?.taskId).toBeUndefined();
    // The fake's live policy gives candidate i the weight n − i.
    expect(served.probabilities).toEqual(Array.from({ length: n }, (_, i) => (n - i) / ((n * (n + 1)) / 2)));
    expect(served.propensity).toBeCloseTo(served.probabilities[served.chosenIndex] ?? NaN, 12);
    expect(tip.propensity).toBe(served.propensity);
    expect(served.shadowPolicies.map((s) => [s.policy, s.modelVersion, s.probabilities.length])).toEqual([
      ['thompson', 'fl-test/8', n],
      ['epsilon-greedy', 'fl-test/9', n],
      ['uniform', 'fl-test/10', n],
    ]);
    expect(served).toMatchObject({ policy: 'linucb', modelVersion: 'fl-test/7', fallback: false, fallbackReason: '' });
    expect(served.context).toMatchObject({ timezone: 'UTC', localHour: 10, localWeekday: 1 });
    expect(served.context?.features.find((f) => f.name === 'dismiss_rate_30d')).toMatchObject({
      value: { case: 'numberValue', value: 0.25 },
      status: ContextFeatureStatus.RECOMPUTED,
    });
    expect(served.context?.features.find((f) => f.name === 'favourite_tip_kind_30d')?.value).toEqual({ case: 'textValue', value: 'task' });

    // The served tip is the chosen candidate, and the choice replays from the decision id alone.
    const chosen = served.candidates[served.chosenIndex];
    expect(chooseIndex(served.probabilities, tip.decisionId).index).toBe(served.chosenIndex);
    expect(served.tipId).toBe(tip.tip.id);
    expect(served.tipKind).toBe(tip.tip.kind);
    expect(tip.tip.id).toBe(chosen?.kind === 'task' ? `task:${chosen.candidateId}` : `advice:${chosen?.candidateId}`);
  });

  it('stores the decision with its candidates, probabilities and context', async () => {
    const tip = (await h.call('POST', '/v1/recommend', 'eva')).body as unknown as Recommendation;
    const row = await h.db.selectFrom('decisions').selectAll().where('decision_id', '=', tip.decisionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: 'eva', tip_id: tip.tip.id, policy: 'linucb', layout_version: 'fl-test', fallback: false, fallback_reason: null });
    expect(row.probabilities[row.chosen_index]).toBeCloseTo(row.propensity, 12);
    expect(row.candidates.map((c) => c.id).slice(0, 3)).toEqual(['report', 'groceries', 'someday']);
    expect(row.shadow_policies).toHaveLength(3);
    expect(row.context).toMatchObject({ timezone: 'UTC', localHour: 10 });
  });

  it('answers 204 when there is nothing to suggest', async () => {
    now = new Date('2026-11-23T05:30:00Z'); // no advice applies between 05:00 and 06:00
    try {
      const before = h.ml.requests.length;
      const res = await h.call('POST', '/v1/recommend', 'no-tasks');
      expect(res.status).toBe(204);
      expect(h.ml.requests.length).toBe(before);
      expect(await h.db.selectFrom('decisions').select('decision_id').where('user_id', '=', 'no-tasks').execute()).toEqual([]);
      // The same hour with a task: the task is the only candidate.
      await seedTask('one-task', 'only', 3);
      expect((await h.call('POST', '/v1/recommend', 'one-task')).body).toMatchObject({ tip: { id: 'task:only', kind: 'task', taskId: 'only' }, propensity: 1 });
    } finally {
      now = new Date('2026-11-23T10:00:00Z');
    }
  });

  it('serves the advice library without a token', async () => {
    const res = await h.call('GET', '/v1/advice', null);
    expect(res.status).toBe(200);
    const items = res.body['items'] as { id: string; kind: string; appliesWhen: unknown }[];
    expect(res.body['version']).toBe('advice-v1');
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['break', 'plan', 'focus', 'reflect']));
  });

  it('requires a user token: 401 without one, 403 for a service token', async () => {
    const none = await h.call('POST', '/v1/recommend', null);
    expect(none.status).toBe(401);
    expect(none.type).toContain('application/problem+json');
    const service = await fetch(`${h.baseUrl}/v1/recommend`, { method: 'POST', headers: { authorization: `Bearer ${h.serviceToken}` } });
    expect(service.status).toBe(403);
    expect(service.headers.get('content-type')).toContain('application/problem+json');
    expect(((await service.json()) as { code: string }).code).toBe('AUTH_USER_REQUIRED');
  });
});
