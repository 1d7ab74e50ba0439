import type { OpeReport, PolicyRow } from '@oo/off-policy';
import { autoPromotionObjection } from './auto-promotion';
import { decidePromotion } from './promotion-rule';
import type { PromotionRow } from './promotion.repository';

const interval = (value: number, half: number) => ({ value, lower: value - half, upper: value + half });
function row(label: string, role: PolicyRow['role'], n: number, snips: number, dr: number, half = 0.02): PolicyRow {
  return {
    label,
    role,
    names: role === 'shadow' ? [label.slice('shadow:'.length)] : [label === 'live' ? 'linucb' : label],
    n,
    skipped: 0,
    loggedMean: snips,
    evaluation: { n, ips: interval(snips, half), snips: interval(snips, half), dr: interval(dr, half), dm: interval(dr, half), effectiveSampleSize: n / 2 },
  };
}
const report = (policies: PolicyRow[]) => ({ policies }) as unknown as OpeReport;
const known = () => true;

describe('the promotion rule', () => {
  it('promotes the shadow whose SNIPS and DR lower bounds beat the live upper bounds, the best DR lower bound among several', () => {
    const verdict = decidePromotion(report([row('live', 'live', 900, 0.5, 0.5), row('shadow:thompson', 'shadow', 900, 0.6, 0.6), row('shadow:wide', 'shadow', 900, 0.7, 0.65)]), { minDecisions: 500, known });
    expect(verdict).toMatchObject({ live: 'linucb', promote: 'wide', shadows: ['thompson', 'wide'], reasons: [] });
    expect(verdict.estimates.map((e) => [e.policy, e.role])).toEqual([['linucb', 'live'], ['thompson', 'shadow'], ['wide', 'shadow']]);
  });

  it('keeps the live policy when intervals overlap, when either estimator disagrees, or on too few decisions', () => {
    const live = row('live', 'live', 900, 0.5, 0.5);
    const verdict = decidePromotion(report([live, row('shadow:close', 'shadow', 900, 0.53, 0.6), row('shadow:dr-doubts', 'shadow', 900, 0.7, 0.52), row('shadow:young', 'shadow', 100, 0.9, 0.9)]), { minDecisions: 500, known });
    expect(verdict.promote).toBeNull();
    expect(verdict.reasons).toEqual([
      'close: SNIPS lower bound 0.5100 does not beat the live upper bound 0.5200',
      'dr-doubts: DR lower bound 0.5000 does not beat the live upper bound 0.5200',
      'young: 100 settled decisions, fewer than 500',
    ]);
    expect(decidePromotion(report([row('live', 'live', 100, 0.1, 0.1), row('shadow:x', 'shadow', 900, 0.9, 0.9)]), { minDecisions: 500, known }).reasons).toEqual([
      'the live policy linucb has 100 settled decisions, fewer than 500',
    ]);
  });

  it('never promotes a policy ml-serving cannot score, nor across a switch inside the window', () => {
    const verdict = decidePromotion(report([row('live', 'live', 900, 0.5, 0.5), row('shadow:gone', 'shadow', 900, 0.9, 0.9)]), { minDecisions: 500, known: (p) => p !== 'gone' });
    expect(verdict).toMatchObject({ promote: null, reasons: ["gone: not in ml-serving's policy catalog"] });
    const mixed = { ...row('live', 'live', 900, 0.5, 0.5), names: ['linucb', 'thompson'] };
    expect(decidePromotion(report([mixed, row('shadow:x', 'shadow', 900, 0.9, 0.9)]), { minDecisions: 1, known }).reasons[0]).toMatch(/the live policy changed inside the evidence window/);
    expect(decidePromotion(report([]), { minDecisions: 1, known }).reasons).toEqual(['no settled decisions of the live policy in the evidence window']);
  });
});

describe('the automatic promotion guard', () => {
  const now = new Date('2026-03-10T00:00:00Z');
  const latest = (hoursAgo: number) => ({ promotion_id: 'p1', promoted_at: new Date(now.getTime() - hoursAgo * 3_600_000) }) as PromotionRow;
  const DAY = 86_400_000;

  it('allows one switch per window', () => {
    expect(autoPromotionObjection({ latest: latest(5), now, windowMs: DAY, maxFallbackShare: 0.05 })).toMatch(/^the last switch \(p1, .+\) is inside the window/);
    expect(autoPromotionObjection({ latest: latest(25), now, windowMs: DAY, maxFallbackShare: 0.05 })).toBeNull();
    expect(autoPromotionObjection({ latest: undefined, now, windowMs: DAY, maxFallbackShare: 0.05 })).toBeNull();
  });

  it('waits while the fallback share is high', () => {
    expect(autoPromotionObjection({ latest: undefined, now, windowMs: DAY, fallbackShare: 0.2, maxFallbackShare: 0.05 })).toBe("20.0 % of the window's decisions fell back (more than 5.0 %)");
    expect(autoPromotionObjection({ latest: undefined, now, windowMs: DAY, fallbackShare: 0.05, maxFallbackShare: 0.05 })).toBeNull();
  });
});
