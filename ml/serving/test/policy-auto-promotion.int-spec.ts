import { autoPromoteOnce } from '../src/features/promotion/auto-promotion';
import { BETTER, LOGGER, promotionLog } from './support/promotion-log';
import { startMlHarness, type MlHarness } from './support/ml-serving-harness';

const HOUR = 3_600_000;

// The automatic step (PROMOTION_AUTO) on a real decision log: it waits while too many decisions
// fell back, promotes on evidence when the guard allows, and then not again inside the window.
describe('automatic policy promotion', () => {
  let h: MlHarness;
  const window = { windowMs: 96 * HOUR };

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ds-auto-promotion', env: { PROMOTION_MIN_DECISIONS: '200', PROMOTION_RESAMPLES: '300' } });
    // 700 decisions 72 h ago, every fifth chosen by the fallback policy: 20 % fell back.
    const log = promotionLog({ first: 0, count: 700, start: new Date(Date.now() - 72 * HOUR), fallbackEvery: 5 });
    for (const s of log.served) await h.publish('signals.tip.served', s, s.userId);
    for (const f of log.feedback) await h.publish('signals.tip.feedback', f, f.userId);
  });
  afterAll(() => h.stop());

  it('does not promote while the fallback share is above the limit', async () => {
    expect(await autoPromoteOnce(h.service.ctx.promotion, { ...window, maxFallbackShare: 0.05 })).toEqual({ skipped: "20.0 % of the window's decisions fell back (more than 5.0 %)" });
    expect(await h.db.selectFrom('policy_promotions').selectAll().execute()).toEqual([]);
  });

  it('promotes the better shadow as `automatic` when the guard allows, and only once per window', async () => {
    const outcome = await autoPromoteOnce(h.service.ctx.promotion, { ...window, maxFallbackShare: 0.25 });
    expect(outcome).toMatchObject({ promoted: { live_policy: BETTER, previous_live_policy: LOGGER, actor: 'automatic' } });
    const again = await autoPromoteOnce(h.service.ctx.promotion, { ...window, maxFallbackShare: 0.25 });
    expect(again).toEqual({ skipped: expect.stringMatching(/is inside the window of 345600000 ms$/) });
    const rows = await h.db.selectFrom('policy_promotions').select(['actor', 'live_policy']).execute();
    expect(rows).toEqual([{ actor: 'automatic', live_policy: BETTER }]);
  });
});
