import { create } from '@bufbuild/protobuf';
import { ContextFeatureStatus, DecisionContextSchema } from '@oo/contracts';
import { joinDecisionLog } from '@oo/off-policy';
import { syntheticLog } from '../../test/support/synthetic-log';
import { contextInput } from '@oo/off-policy';
import { evaluateDecisionLog, type OpeReport } from './run-ope';

describe('off-policy evaluation of a logged uniform policy', () => {
  const now = new Date('2026-03-20T00:00:00Z');
  const synthetic = syntheticLog({ seed: 1, decisions: 2000, start: new Date('2026-03-01T00:00:00Z'), gapMs: 300_000, fallbackEvery: 10 });
  let report: OpeReport;
  beforeAll(() => {
    report = evaluateDecisionLog(joinDecisionLog(synthetic.served, synthetic.feedback, now), { now, seed: 1 });
  });
  const row = (label: string) => {
    const found = report.policies.find((p) => p.label === label);
    if (!found?.evaluation) throw new Error(`no evaluation for ${label}`);
    return { ...found, evaluation: found.evaluation };
  };

  it('covers the true value of a known target policy with IPS, SNIPS and DR', () => {
    const target = row('shadow:truth-greedy');
    expect(target.n).toBe(1800);
    for (const estimator of ['ips', 'snips', 'dr'] as const) {
      const e = target.evaluation[estimator];
      expect({ estimator, covered: e.lower <= synthetic.truth.target && synthetic.truth.target <= e.upper }).toEqual({ estimator, covered: true });
    }
    // The target is far better than what was logged, and the estimate says so.
    expect(target.evaluation.dr.lower).toBeGreaterThan(row('live').evaluation.dr.upper);
  });

  it('covers the true value of uniform over every decision, fallback ones included', () => {
    const uniform = row('uniform');
    expect(uniform.n).toBe(2000);
    expect(uniform.evaluation.snips.lower).toBeLessThanOrEqual(synthetic.truth.uniform);
    expect(uniform.evaluation.snips.upper).toBeGreaterThanOrEqual(synthetic.truth.uniform);
  });

  it('reports the live policy on its own non-fallback decisions and the fallback policy apart', () => {
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const live = row('live');
    const fallback = row('fallback');
    expect([live.n, fallback.n]).toEqual([1800, 200]);
    expect(live.names).toEqual(['uniform-logger']);
    expect(fallback.names).toEqual(['default-uniform']);
    expect(live.evaluation.ips.value).toBeCloseTo(mean(synthetic.rewards.filter((_, t) => t % 10 !== 0)), 12);
    expect(fallback.evaluation.ips.value).toBeCloseTo(mean(synthetic.rewards.filter((_, t) => t % 10 === 0)), 12);
    expect(live.evaluation.effectiveSampleSize).toBeCloseTo(1800, 6);
  });

  it('counts decisions and reactions', () => {
    expect(report.decisions).toEqual({ total: 2000, settled: 2000, unsettled: 0, fallback: 200, invalid: 0, untimed: 0 });
    const reactions = report.reactions;
    expect(reactions.done + reactions.snooze + reactions.dismiss + reactions.none).toBe(2000);
    expect(reactions.none).toBe(2000 - synthetic.feedback.length);
  });
});

describe('decisions the estimators cannot use', () => {
  const now = new Date('2026-03-20T00:00:00Z');
  const synthetic = syntheticLog({ seed: 2, decisions: 60, start: new Date('2026-03-01T00:00:00Z') });

  it('skips a shadow that failed to score, and leaves out decisions with broken probabilities', () => {
    const served = synthetic.served.map((s, t) => {
      if (t === 0) return { ...s, shadowPolicies: s.shadowPolicies.map((p) => ({ ...p, probabilities: [] })) };
      return t === 1 ? { ...s, probabilities: [1] } : s;
    });
    const report = evaluateDecisionLog(joinDecisionLog(served, synthetic.feedback, now), { now, resamples: 50 });
    expect(report.decisions.invalid).toBe(1);
    expect(report.policies.find((p) => p.label === 'shadow:truth-greedy')).toMatchObject({ n: 58, skipped: 1 });
    expect(report.policies.find((p) => p.label === 'uniform')).toMatchObject({ n: 59, skipped: 0 });
    expect(report.policies.find((p) => p.label === 'fallback')).toMatchObject({ n: 0, evaluation: null, loggedMean: null });
  });

  it('evaluates nothing, and says so, when the log is empty', () => {
    const report = evaluateDecisionLog(joinDecisionLog([], [], now), { now });
    expect(report.decisions.total).toBe(0);
    expect(report.policies).toEqual([]);
  });
});

describe('the logged context', () => {
  it('becomes the featurizer input, with the ISO weekday turned into 0 = Sunday', () => {
    const context = create(DecisionContextSchema, {
      timezone: 'Asia/Tokyo',
      localHour: 9,
      localWeekday: 7,
      features: [
        { name: 'completion_rate_30d', value: { case: 'numberValue', value: 0.5 }, status: ContextFeatureStatus.RECOMPUTED },
        { name: 'segment', value: { case: 'textValue', value: 'a' }, status: ContextFeatureStatus.UNSPECIFIED },
      ],
    });
    expect(contextInput(context)).toEqual({
      timezone: 'Asia/Tokyo',
      localHour: 9,
      localWeekday: 0,
      features: [
        { name: 'completion_rate_30d', value: 0.5, status: 'recomputed' },
        { name: 'segment', value: 'a', status: 'fallback' },
      ],
    });
    expect(contextInput({ ...context, localWeekday: 1 }).localWeekday).toBe(1);
  });
});
