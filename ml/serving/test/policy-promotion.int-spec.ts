import { decodeReplica, fromObservationPageJson, observationPageSchema } from '@oo/model-state';
import { eventually } from '@oo/testing';
import { autoPromoteOnce } from '../src/features/promotion/auto-promotion';
import { BETTER, LOGGER, promotionLog, WORSE } from './support/promotion-log';
import { startMlHarness, type MlHarness } from './support/ml-serving-harness';

const HOUR = 3_600_000;

// Promotion end to end: a decision log on the real JetStream, evaluated by ml-serving through its
// admin route, the switch recorded with its evidence and published, reaching the replica routes.
describe('policy promotion', () => {
  let h: MlHarness;
  const now = new Date();
  const start = new Date(now.getTime() - 72 * HOUR);
  const since = new Date(start.getTime() - HOUR);
  const call = async (method: 'GET' | 'POST', path: string, kind: 'service' | 'admin' | 'user' = 'admin', body?: unknown) => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await h.token(kind)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { evaluation?: { reasons: string[]; promote: string | null } } };
  };
  const publishLog = async (first: number, count: number) => {
    const log = promotionLog({ first, count, start });
    for (const s of log.served) await h.publish('signals.tip.served', s, s.userId);
    for (const f of log.feedback) await h.publish('signals.tip.feedback', f, f.userId);
  };

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ds-promotion', env: { PROMOTION_MIN_DECISIONS: '200', PROMOTION_RESAMPLES: '300' } });
  });
  afterAll(() => h.stop());

  it('promotes nothing on too few decisions, and only admins may ask', async () => {
    await publishLog(0, 60);
    expect((await call('POST', '/v1/policies/promotions', 'user', { since })).status).toBe(403);
    expect((await call('POST', '/v1/policies/promotions', 'service', { since })).status).toBe(403);
    expect((await call('POST', '/v1/policies/promotions', 'admin', { since: 'yesterday' })).status).toBe(400);
    const early = await call('POST', '/v1/policies/promotions', 'admin', { since });
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ promoted: false, evaluation: { live: LOGGER, promote: null } });
    expect(early.body.evaluation?.reasons).toEqual(['the live policy uniform has 60 settled decisions, fewer than 200']);
    expect((await call('GET', '/v1/policies', 'service')).body).toEqual({ assignment: null, history: [] });
  });

  it('promotes the better shadow once enough decisions show it, never the worse one, with the evidence and an event', async () => {
    await publishLog(60, 540);
    const dry = await call('POST', '/v1/policies/promotions', 'admin', { since, dryRun: true });
    expect(dry.body).toMatchObject({ promoted: false, evaluation: { promote: BETTER } });
    const res = await call('POST', '/v1/policies/promotions', 'admin', { since });
    expect(res.status).toBe(201);
    const evaluation = res.body.evaluation as unknown as { promote: string; reasons: string[]; estimates: { policy: string; decisions: number; snips: { lower: number; upper: number }; dr: { lower: number; upper: number } }[] };
    expect(evaluation.promote).toBe(BETTER);
    expect(evaluation.reasons).toHaveLength(1);
    expect(evaluation.reasons[0]).toMatch(new RegExp(`^${WORSE}: SNIPS lower bound 0\\.\\d+ does not beat the live upper bound 0\\.\\d+$`));
    const [live, better] = [LOGGER, BETTER].map((p) => evaluation.estimates.find((e) => e.policy === p));
    expect(live?.decisions).toBe(600);
    expect(better?.snips.lower).toBeGreaterThan(live?.snips.upper ?? 1);
    expect(better?.dr.lower).toBeGreaterThan(live?.dr.upper ?? 1);
    expect(res.body['promotion']).toMatchObject({ livePolicy: BETTER, previousLivePolicy: LOGGER, shadowPolicies: [LOGGER, WORSE], actor: 'admin:ada', revertsPromotionId: null });

    const events = await eventually(async () => {
      const found = await h.eventsOn('ml.policy.promoted');
      return found.length === 1 ? found : undefined;
    }, 'ml.policy.promoted');
    const event = events[0]?.message;
    expect(event).toMatchObject({ livePolicy: BETTER, previousLivePolicy: LOGGER, shadowPolicies: [LOGGER, WORSE], actor: 'admin:ada', revertsPromotionId: '' });
    expect(event?.estimates.map((e) => [e.policy, e.role, e.decisions])).toEqual([[LOGGER, 'live', 600], [BETTER, 'shadow', 600], [WORSE, 'shadow', 600]]);
    expect(event?.rule).toBe('snips.lower > live.snips.upper and dr.lower > live.dr.upper, n >= 200 for both');
  });

  it('hands the new assignment to replicas: in the replica document and on every observation page', async () => {
    const { assignment } = (await call('GET', '/v1/policies', 'service')).body as { assignment: { live: string; promotionId: string } };
    const bytes = await fetch(`${h.baseUrl}/v1/models/current/replica`, { headers: { authorization: `Bearer ${await h.token('service')}` } });
    expect(decodeReplica(new Uint8Array(await bytes.arrayBuffer())).assignment).toEqual({ live: BETTER, shadows: [LOGGER, WORSE], promotionId: assignment.promotionId });
    const pageRes = await fetch(`${h.baseUrl}/v1/models/current/observations?after=0&limit=1`, { headers: { authorization: `Bearer ${await h.token('service')}` } });
    expect(fromObservationPageJson(observationPageSchema.parse(await pageRes.json())).assignment).toEqual({ live: BETTER, shadows: [LOGGER, WORSE], promotionId: assignment.promotionId });
  });

  it('evaluates only decisions after the switch, and the automatic step respects the window', async () => {
    const again = await call('POST', '/v1/policies/promotions', 'admin', { since });
    expect(again.body).toMatchObject({ promoted: false, evaluation: { promote: null, reasons: ['no settled decisions of the live policy in the evidence window'] } });
    const auto = await autoPromoteOnce(h.service.ctx.promotion, { windowMs: 24 * HOUR, maxFallbackShare: 0.05 });
    expect(auto).toEqual({ skipped: expect.stringMatching(/^the last switch \(.+\) is inside the window of 86400000 ms$/) });
  });

  it('reverts the switch in force, and only that one', async () => {
    const { history } = (await call('GET', '/v1/policies', 'service')).body as { history: { promotionId: string }[] };
    const promoted = history[0]?.promotionId as string;
    expect((await call('POST', `/v1/policies/promotions/${promoted}/revert`, 'user')).status).toBe(403);
    expect((await call('POST', '/v1/policies/promotions/00000000-0000-4000-8000-000000000000/revert')).status).toBe(404);
    const reverted = await call('POST', `/v1/policies/promotions/${promoted}/revert`);
    expect(reverted.status).toBe(201);
    expect(reverted.body['promotion']).toMatchObject({ livePolicy: LOGGER, previousLivePolicy: BETTER, shadowPolicies: [BETTER, WORSE], revertsPromotionId: promoted, evidence: null });
    const twice = await call('POST', `/v1/policies/promotions/${promoted}/revert`);
    expect(twice.status).toBe(409);
    expect((await call('GET', '/v1/policies', 'service')).body).toMatchObject({ assignment: { live: LOGGER, shadows: [BETTER, WORSE] } });
    const events = await eventually(async () => {
      const found = await h.eventsOn('ml.policy.promoted');
      return found.length === 2 ? found : undefined;
    }, 'the reversal event');
    expect(events[1]?.message).toMatchObject({ livePolicy: LOGGER, revertsPromotionId: promoted, estimates: [] });
  });
});
