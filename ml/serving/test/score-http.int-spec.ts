import { scoreResponseSchema } from '@oo/decision-features';
import { scoreRequest } from './support/decisions';
import { startMlHarness, type MlHarness } from './support/ml-serving-harness';

// POST /v1/score and GET /v1/models/current on the real service: who may call, what a bad request
// gets back, and the shape and determinism of a score.
describe('ml-serving HTTP API', () => {
  let h: MlHarness;
  const post = async (body: unknown, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers['authorization'] = `Bearer ${token}`;
    const res = await fetch(`${h.baseUrl}/v1/score`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ml-score-http' });
  });
  afterAll(() => h.stop());

  it('reports ready once the model is loaded and caught up with the log', async () => {
    const res = await fetch(`${h.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { checks: Record<string, unknown> }).checks).toHaveProperty('model');
  });

  it('keeps an instance that cannot load its model out of service (readyz 503, score 503) until it can', async () => {
    const layoutVersion = h.service.ctx.live.status()?.layoutVersion ?? '';
    await h.db.insertInto('model_snapshots').values({ layout_version: layoutVersion, version: 0, snapshot: Buffer.from('not a snapshot'), users: 0, created_at: new Date() }).execute();
    const broken = await h.startInstance({ waitForModel: false });
    const ready = await fetch(`${broken.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { failed: string[] }).failed).toContain('model');
    const score = await fetch(`${broken.baseUrl}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token('service')}` },
      body: JSON.stringify(scoreRequest('u1', 'd1', ['linucb'])),
    });
    expect(score.status).toBe(503);
    expect(((await score.json()) as { code: string }).code).toBe('ML_MODEL_NOT_READY');

    await h.db.deleteFrom('model_snapshots').execute();
    await broken.service.ctx.live.loaded;
    expect((await fetch(`${broken.baseUrl}/readyz`)).status).toBe(200);
  });

  it('asks for a token, and refuses a plain user token with 403', async () => {
    expect((await post(scoreRequest('u1', 'd1', ['linucb']))).status).toBe(401);
    const user = await post(scoreRequest('u1', 'd1', ['linucb']), await h.token('user'));
    expect(user.status).toBe(403);
    expect(user.type).toContain('application/problem+json');
    const models = await fetch(`${h.baseUrl}/v1/models/current`, { headers: { authorization: `Bearer ${await h.token('user')}` } });
    expect(models.status).toBe(403);
  });

  it('answers 400 problem+json naming every invalid field', async () => {
    const bad = { ...scoreRequest('', 'd1', ['linucb']), candidates: [{ id: 'c1', features: [1, 2] }], context: { timezone: 'UTC', localHour: 25, localWeekday: 1, features: [] } };
    const res = await post(bad, await h.token('service'));
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body['code']).toBe('VALIDATION_FAILED');
    const paths = (res.body['errors'] as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.userId', 'body.context.localHour', 'body.candidates.0.features']));
  });

  it('answers 400 naming unknown fields, at any level', async () => {
    const valid = scoreRequest('u1', 'd1', ['linucb']);
    const bad = { ...valid, debug: true, candidates: valid.candidates.map((c, i) => (i === 0 ? { ...c, weight: 2 } : c)) };
    const res = await post(bad, await h.token('service'));
    expect(res.status).toBe(400);
    const paths = (res.body['errors'] as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body', 'body.candidates.0']));
  });

  it('answers 400 naming an unknown policy', async () => {
    const res = await post(scoreRequest('u1', 'd1', ['linucb', 'oracle']), await h.token('service'));
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('ML_UNKNOWN_POLICY');
    expect(res.body['detail']).toContain('oracle');
    expect(res.body['errors']).toEqual([{ path: 'body.policies.1', message: 'unknown policy "oracle"' }]);
  });

  it('scores every policy with a full probability vector, under the current layout and model version', async () => {
    const res = await post(scoreRequest('u1', 'd1', ['linucb', 'thompson', 'epsilon-greedy', 'uniform']), await h.token('service'));
    expect(res.status).toBe(200);
    const body = scoreResponseSchema.parse(res.body);
    const current = (await (await fetch(`${h.baseUrl}/v1/models/current`, { headers: { authorization: `Bearer ${await h.token('admin')}` } })).json()) as {
      layoutVersion: string;
      version: string;
      observations: number;
      layout: string[];
    };
    expect(body.layoutVersion).toBe(current.layoutVersion);
    expect(current).toMatchObject({ version: `${current.layoutVersion}/0`, observations: 0 });
    expect(current.layout).toHaveLength(82);
    expect(body.results.map((r) => [r.policy, r.kind])).toEqual([
      ['linucb', 'linucb'],
      ['thompson', 'thompson'],
      ['epsilon-greedy', 'epsilon-greedy'],
      ['uniform', 'uniform'],
    ]);
    for (const result of body.results) {
      expect(result.probabilities).toHaveLength(3);
      expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(result.modelVersion).toBe(current.version);
    }
    expect(body.results[1]?.samples).toBe(256);
    expect(body.results[0]?.samples).toBeUndefined();
  });

  it('gives the same answer for the same decision id, and samples anew for another', async () => {
    const token = await h.token('admin');
    const first = await post(scoreRequest('u1', 'decision-a', ['thompson']), token);
    const again = await post(scoreRequest('u1', 'decision-a', ['thompson']), token);
    const other = await post(scoreRequest('u1', 'decision-b', ['thompson']), token);
    expect(again.body).toEqual(first.body);
    const probabilities = (r: typeof first) => (r.body['results'] as { probabilities: number[] }[])[0]?.probabilities;
    expect(probabilities(other)).not.toEqual(probabilities(first));
  });
});
