import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';

// The admin views of the decision log, on the real recommender (real Postgres and JetStream,
// profile and ml-serving played by local fakes): one user's decisions in full, and the learning
// report built from real decisions and their feedback.
describe('the admin insights of the recommender', () => {
  let h: RecommenderHarness;
  let admin: string;
  const decisionIds: string[] = [];

  const asAdmin = async (path: string) => {
    const res = await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${admin}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    h = await startRecommenderHarness({ label: 'recommender-insights' });
    admin = await h.tokenFor('root', { roles: ['admin'] });
    await h.db
      .insertInto('tasks')
      .values(['t-report', 't-call'].map((id) => ({ task_id: id, user_id: 'lena', source: 'manual', title: `Task ${id}`, due_at: null, priority: 2, created_at: new Date('2026-12-01T00:00:00Z'), completed_at: null, url: '', version_at: new Date('2026-12-01T00:00:00Z'), deleted: false })))
      .execute();
    for (let i = 0; i < 6; i++) {
      const tip = await h.call('POST', '/v1/recommend', 'lena');
      expect(tip.status).toBe(200);
      decisionIds.push(tip.body['decisionId'] as string);
    }
    for (const [i, id] of decisionIds.slice(0, 4).entries()) {
      expect((await h.call('POST', `/v1/tips/${id}/feedback`, 'lena', { reaction: i % 2 === 0 ? 'done' : 'dismiss' })).status).toBe(202);
    }
  });
  afterAll(() => h?.stop());

  it("lists a user's decisions newest first with every candidate's live and shadow probability, the choice and the reward", async () => {
    const res = await asAdmin('/v1/admin/users/lena/decisions?limit=10');
    expect(res.status).toBe(200);
    const decisions = res.body['decisions'] as { decisionId: string; chosenIndex: number; candidates: { id: string; live: number; shadows: Record<string, number> }[]; reaction: string | null; reward: number | null }[];
    expect(decisions.map((d) => d.decisionId)).toEqual([...decisionIds].reverse());
    for (const d of decisions) {
      expect(d.candidates.length).toBeGreaterThanOrEqual(2);
      expect(d.candidates.reduce((s, c) => s + c.live, 0)).toBeCloseTo(1, 6);
      expect(d.chosenIndex).toBeLessThan(d.candidates.length);
    }
    const first = decisions.find((d) => d.decisionId === decisionIds[0]);
    expect(first).toMatchObject({ reaction: 'done', reward: 1 });
    expect(decisions.find((d) => d.decisionId === decisionIds[1])).toMatchObject({ reaction: 'dismiss', reward: 0 });
    // No reaction yet and the reward window still open: the reward is not known.
    expect(decisions.find((d) => d.decisionId === decisionIds[5])).toMatchObject({ reaction: null, reward: null });
  });

  it('reports the learning curve, off-policy estimates with intervals, models, fallback share and latency', async () => {
    const res = await asAdmin('/v1/admin/learning?windowMinutes=60');
    expect(res.status).toBe(200);
    const body = res.body as { decisions: number; fallbackShare: number; curve: { settled: number; meanReward: number | null }[]; policies: { label: string; n: number; snips: { value: number; lower: number; upper: number } | null }[]; models: { decisions: number }[]; latency: { count: number; p50Ms: number | null } };
    expect(body.decisions).toBe(6);
    expect(body.curve.reduce((s, p) => s + p.settled, 0)).toBe(4);
    // done, dismiss, done, dismiss: a mean of 0.5 over the windows they fell in.
    expect(body.curve.reduce((s, p) => s + (p.meanReward ?? 0) * p.settled, 0) / 4).toBeCloseTo(0.5, 9);
    const labels = body.policies.map((p) => p.label);
    expect(labels[0]).toBe('live');
    expect(labels.at(-1)).toBe('uniform');
    for (const p of body.policies.filter((r) => r.n > 0)) expect(p.snips && p.snips.lower <= p.snips.value && p.snips.value <= p.snips.upper).toBe(true);
    expect(body.models.reduce((s, m) => s + m.decisions, 0)).toBe(6);
    // Runs of decisions instead of hours: six decisions in windows of two.
    const byRuns = await asAdmin('/v1/admin/learning?windowDecisions=2');
    expect((byRuns.body['curve'] as { decisions: number }[]).map((p) => p.decisions)).toEqual([2, 2, 2]);
    expect(body.fallbackShare).toBeGreaterThanOrEqual(0);
    expect(body.latency.count).toBeGreaterThanOrEqual(6);
    expect(body.latency.p50Ms).toBeGreaterThan(0);
  });

  it('is for admins only and names a bad query', async () => {
    expect((await h.call('GET', '/v1/admin/learning', 'lena')).status).toBe(403);
    expect((await h.call('GET', '/v1/admin/users/lena/decisions', null)).status).toBe(401);
    const bad = await asAdmin('/v1/admin/learning?windowMinutes=0');
    expect(bad.status).toBe(400);
    expect(await asAdmin('/v1/admin/learning?windowMinutes=5&windowDecisions=5')).toMatchObject({ status: 400, body: { code: 'RECOMMENDER_INVALID_QUERY' } });
  });
});
