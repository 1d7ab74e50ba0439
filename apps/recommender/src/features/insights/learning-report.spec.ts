import { DEFAULT_REWARDS } from '@oo/bandit';
import { createDecisionFeaturizer } from '@oo/decision-features';
import type { DecisionWithReaction } from './insights.repository';
import { learningCurve, policyEstimates, rewardOf, type LearningOptions } from './learning-report';

const HOUR = 3_600_000;
const now = new Date('2026-12-03T12:00:00Z');
const options: LearningOptions = { now, rewardWindowMs: 2 * HOUR, curveWindow: { by: 'time', ms: HOUR }, rewards: DEFAULT_REWARDS, resamples: 50, seed: 3, featurizer: createDecisionFeaturizer() };

// Two candidates (a task and advice); the live policy put 0.8 on the first, a shadow 0.5 each.
function decision(servedAt: string, chosen: number, reaction: DecisionWithReaction['reaction'], extra: Partial<DecisionWithReaction> = {}): DecisionWithReaction {
  const served = new Date(servedAt);
  return {
    decisionId: `d-${servedAt}-${chosen}`,
    userId: 'u',
    servedAt: served,
    channel: 'in_app',
    tipId: 'task:t1',
    tipTitle: 'Pay rent',
    policy: 'linucb',
    modelVersion: 'm1',
    layoutVersion: 'l1',
    fallback: false,
    fallbackReason: null,
    chosenIndex: chosen,
    propensity: chosen === 0 ? 0.8 : 0.2,
    featureLayout: [],
    candidates: [
      { id: 't1', kind: 'task', features: [] },
      { id: 'a1', kind: 'break', features: [] },
    ],
    probabilities: [0.8, 0.2],
    shadows: [{ policy: 'thompson', probabilities: [0.5, 0.5], modelVersion: 'm1' }],
    context: { features: [], timezone: 'UTC', localHour: 9, localWeekday: 3 },
    reaction,
    reactedAt: reaction ? new Date(served.getTime() + 60_000) : null,
    ...extra,
  };
}

describe('the learning report', () => {
  it('rewards a reaction inside the window, silence once the window passed, and nothing while it is open', () => {
    expect(rewardOf(decision('2026-12-03T08:00:00Z', 0, 'done'), now, options)).toBe(1);
    expect(rewardOf(decision('2026-12-03T08:00:00Z', 0, 'snooze'), now, options)).toBe(0.25);
    expect(rewardOf(decision('2026-12-03T08:00:00Z', 0, null), now, options)).toBe(0);
    expect(rewardOf(decision('2026-12-03T11:30:00Z', 0, null), now, options)).toBeNull();
    const late = decision('2026-12-03T08:00:00Z', 0, 'done', { reactedAt: new Date('2026-12-03T11:00:00Z') });
    expect(rewardOf(late, now, options)).toBe(0);
  });

  it('averages the known rewards per hour, oldest first', () => {
    const curve = learningCurve(
      [decision('2026-12-03T08:10:00Z', 0, 'done'), decision('2026-12-03T08:50:00Z', 1, 'dismiss'), decision('2026-12-03T09:20:00Z', 0, 'done'), decision('2026-12-03T11:40:00Z', 0, null)],
      options,
    );
    expect(curve.map((p) => [p.windowStart.toISOString(), p.decisions, p.settled, p.meanReward])).toEqual([
      ['2026-12-03T08:00:00.000Z', 2, 2, 0.5],
      ['2026-12-03T09:00:00.000Z', 1, 1, 1],
      ['2026-12-03T11:00:00.000Z', 1, 0, null],
    ]);
  });

  it('can average per run of consecutive decisions instead, each window starting at its first decision', () => {
    const log = ['08:10', '08:20', '08:30', '09:40', '09:50'].map((t, i) => decision(`2026-12-03T${t}:00Z`, 0, i < 2 ? 'done' : 'dismiss'));
    const curve = learningCurve(log, { ...options, curveWindow: { by: 'decisions', count: 2 } });
    expect(curve.map((p) => [p.windowStart.toISOString().slice(11, 16), p.decisions, p.meanReward])).toEqual([
      ['08:10', 2, 1],
      ['08:30', 2, 0],
      ['09:50', 1, 0],
    ]);
  });

  it('estimates live, each shadow and uniform from the settled live decisions, with intervals around the value', () => {
    // The first candidate is always done, the second always dismissed: a policy is worth its weight on the first.
    const log = Array.from({ length: 40 }, (_, i) => decision(`2026-12-03T0${i % 9}:0${i % 6}:00Z`, i % 5 === 0 ? 1 : 0, i % 5 === 0 ? 'dismiss' : 'done'));
    log.push(decision('2026-12-03T07:00:00Z', 0, 'done', { fallback: true }));
    const rows = policyEstimates(log, options);
    expect(rows.map((r) => [r.label, r.n])).toEqual([['live', 40], ['shadow:thompson', 40], ['uniform', 40]]);
    const [live, shadow, uniform] = rows;
    expect(live?.snips?.value).toBeCloseTo(0.8, 1);
    expect(shadow?.snips?.value).toBeCloseTo(0.5, 1);
    expect(uniform?.snips?.value).toBeCloseTo(0.5, 1);
    for (const r of rows) expect(r.snips && r.snips.lower <= r.snips.value && r.snips.value <= r.snips.upper).toBe(true);
  });

  it('has no estimate without settled decisions', () => {
    expect(policyEstimates([decision('2026-12-03T11:50:00Z', 0, null)], options).map((r) => [r.label, r.n, r.snips])).toEqual([['live', 0, null], ['uniform', 0, null]]);
  });
});
