import { adviceFeatures, taskFeatures } from '@oo/decision-features';
import { localPolicyProbabilities, urgencyScore } from './local-policy';
import { choosePolicy } from './policy-choice';
import type { ScoreOutcome } from './ml-client';

const now = new Date('2026-11-23T10:00:00Z');
const task = (dueInHours: number | null, priority = 1) =>
  taskFeatures({ source: 'todoist', createdAt: new Date('2026-11-20T00:00:00Z'), dueAt: dueInHours === null ? null : new Date(now.getTime() + dueInHours * 3_600_000), priority }, now);
const candidates = [task(null), task(-1), task(5, 4), adviceFeatures('break')];
const policies = { live: 'linucb', shadows: ['thompson', 'uniform'] };
const result = (policy: string, probabilities: number[]) => ({ policy, kind: 'linucb' as const, probabilities, scores: probabilities, modelVersion: `${policy}/1` });
// ε-greedy with ε = 0.2 over four candidates, the overdue one (index 1) the most urgent.
const LOCAL = [0.05, 0.2 / 4 + 0.8, 0.05, 0.05];
const answered = (...results: ReturnType<typeof result>[]): ScoreOutcome => ({ ok: true, response: { layoutVersion: 'fl-1', results } });

describe('local urgency policy', () => {
  it('ranks overdue above due soon above undated, and any task above advice', () => {
    const scores = candidates.map(urgencyScore);
    expect(scores[1]).toBeGreaterThan(scores[2] ?? Infinity);
    expect(scores[2]).toBeGreaterThan(scores[0] ?? Infinity);
    expect(scores[0]).toBeGreaterThan(scores[3] ?? Infinity);
  });

  it('gives the most urgent 1 − ε + ε/n and everyone else ε/n', () => {
    expect(localPolicyProbabilities(candidates, 0.2)).toEqual(LOCAL);
    expect(localPolicyProbabilities([adviceFeatures('plan'), adviceFeatures('focus')], 0.2)).toEqual([0.5, 0.5]);
  });
});

describe('choosePolicy', () => {
  it("uses the live policy's vector and keeps each shadow's, by name", () => {
    const choice = choosePolicy(answered(result('uniform', [0.25, 0.25, 0.25, 0.25]), result('linucb', [0.1, 0.6, 0.2, 0.1])), policies, candidates, 0.2);
    expect(choice).toMatchObject({ policy: 'linucb', modelVersion: 'linucb/1', layoutVersion: 'fl-1', probabilities: [0.1, 0.6, 0.2, 0.1], fallback: false });
    expect(choice.shadows).toEqual([
      { policy: 'thompson', probabilities: [], modelVersion: '' }, // not scored: logged empty
      { policy: 'uniform', probabilities: [0.25, 0.25, 0.25, 0.25], modelVersion: 'uniform/1' },
    ]);
  });

  it.each([
    ['no live result', answered(result('uniform', [0.25, 0.25, 0.25, 0.25]))],
    ['a vector of the wrong length', answered(result('linucb', [0.5, 0.5]))],
    ['a vector that is not a distribution', answered(result('linucb', [0.5, 0.5, 0.5, -0.5]))],
  ])('falls back with reason error on %s', (_what, outcome) => {
    expect(choosePolicy(outcome, policies, candidates, 0.2)).toEqual({
      policy: 'local-urgency',
      modelVersion: '',
      layoutVersion: '',
      probabilities: LOCAL,
      shadows: [],
      fallback: true,
      fallbackReason: 'error',
    });
  });

  it('carries the transport failure as the reason', () => {
    expect(choosePolicy({ ok: false, failure: 'timeout', error: new Error('late') }, policies, candidates, 0.2).fallbackReason).toBe('timeout');
  });
});
