import { fromSnapshot } from '@oo/bandit';
import { createDecisionFeaturizer, scoreRequestSchema } from '@oo/decision-features';
import { decodeReplica, fromObservationPageJson, ObservationApplier, observationPageSchema, scoreDecision } from '@oo/model-state';
import { feedback, DECISION_TIME, Reaction, scoreRequest, served } from './support/decisions';
import { startMlHarness, type MlHarness } from './support/ml-serving-harness';

// The routes a replica follows the model by (the recommender's in-process scoring): the model in
// the checkpoint format, and the observation log after a version, long-polled.
describe('model replica routes', () => {
  let h: MlHarness;
  const now = new Date(DECISION_TIME.getTime() + 120_000);
  const get = async (path: string, kind: 'service' | 'admin' | 'user' | null = 'service') =>
    fetch(`${h.baseUrl}${path}`, { headers: kind ? { authorization: `Bearer ${await h.token(kind)}` } : {} });
  const page = async (query: string) => {
    const res = await get(`/v1/models/current/observations?${query}`);
    expect(res.status).toBe(200);
    return fromObservationPageJson(observationPageSchema.parse(await res.json()));
  };
  const replica = async (query = '') => decodeReplica(new Uint8Array(await (await get(`/v1/models/current/replica${query}`)).arrayBuffer()));

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ml-replica', clock: () => now });
  });
  afterAll(() => h.stop());

  it('is for services and admins only, and says what is wrong with a bad query', async () => {
    expect((await get('/v1/models/current/replica', null)).status).toBe(401);
    expect((await get('/v1/models/current/observations?after=0', 'user')).status).toBe(403);
    const bad = await get('/v1/models/current/observations?after=-1&limit=5000');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await get('/v1/models/current/replica?maxUsers=0')).status).toBe(400);
  });

  it('wakes a long poll when an observation is learned, and a replica that applies it scores exactly as ml-serving does', async () => {
    const start = await replica();
    expect(start).toMatchObject({ complete: true, model: { version: 0 } });
    expect(Object.keys(start.policies)).toEqual(expect.arrayContaining(['linucb', 'thompson']));

    const waiting = page('after=0&waitMs=10000');
    await h.publish('signals.tip.served', served('r1', 'u-r1', 1), 'u-r1');
    await h.publish('signals.tip.feedback', feedback('r1', 'u-r1', Reaction.DONE), 'u-r1', { id: 'feedback-r1' });
    const { rows, layouts } = await waiting;
    expect(rows.map((r) => [r.seq, r.kind, r.user_id, r.outcome])).toEqual([['1', 'reward', 'u-r1', 'done']]);
    expect(layouts).toEqual({});

    const model = fromSnapshot(start.model);
    await new ObservationApplier(async () => undefined).apply(model, rows);
    const request = scoreRequest('u-r1', 'probe-r1', ['linucb', 'thompson', 'epsilon-greedy']);
    const remote = await fetch(`${h.baseUrl}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token('service')}` },
      body: JSON.stringify(request),
    });
    const local = scoreDecision(model, createDecisionFeaturizer(), new Map(Object.entries(start.policies)), scoreRequestSchema.parse(request));
    expect(await remote.json()).toEqual(local);
    expect(local.results[0]?.modelVersion).toMatch(/\/1$/);

    // Nothing new: the poll answers empty once its wait is over.
    expect((await page('after=1&waitMs=200')).rows).toEqual([]);
  });

  it('hands out the most recently used users up to maxUsers, saying the replica is then incomplete', async () => {
    await h.publish('signals.tip.served', served('r2', 'u-r2', 0), 'u-r2');
    await h.publish('signals.tip.feedback', feedback('r2', 'u-r2', Reaction.DISMISS), 'u-r2', { id: 'feedback-r2' });
    await page('after=1&waitMs=10000');
    const partial = await replica('?maxUsers=1');
    expect(partial.complete).toBe(false);
    expect(Object.keys(partial.model.users)).toEqual(['u-r2']);
    expect((await replica()).complete).toBe(true);
  });

  it('answers 410 once the log after the version asked for was pruned, so the replica loads again', async () => {
    await h.db.deleteFrom('learned_observations').where('seq', '<=', '1').execute();
    const gone = await get('/v1/models/current/observations?after=0');
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ code: 'ML_REPLICA_BEHIND' });
    expect((await page('after=1')).rows.map((r) => r.seq)).toEqual(['2']);
  });
});
