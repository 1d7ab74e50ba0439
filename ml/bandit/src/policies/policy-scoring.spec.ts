import { createLayout } from '../features/feature-layout';
import { createModel, updateModel } from '../model/bandit-model';
import { predict } from '../model/model-prediction';
import { createRng } from '../random/seeded-rng';
import { chooseIndex } from './choose-index';
import { scorePolicies, scorePolicy } from './policy-scoring';
import { greedyProbabilities, mixUniform } from './probability-rules';
import type { PolicySpec } from './policy-types';
import { at } from '../../test/strict-access.helper';

const layout = createLayout(['bias', 'cand.a', 'cand.b']);
const candidates = [
  [1, 1, 0],
  [1, 0, 1],
  [1, 0.5, 0.5],
  [1, 0, 0],
];

function trained() {
  const model = createModel(layout);
  const rng = createRng('policies');
  for (let t = 0; t < 60; t++) {
    const x = at(candidates, rng.int(candidates.length));
    updateModel(model, { userId: 'u1', features: x, reward: 0.6 * at(x, 1) + 0.3 * at(x, 2) + 0.2 * rng.normal() });
  }
  return model;
}

const ALL: PolicySpec[] = [
  { kind: 'uniform' },
  { kind: 'epsilon-greedy', epsilon: 0.1 },
  { kind: 'linucb', alpha: 1, epsilon: 0.05 },
  { kind: 'thompson', samples: 400, scale: 0.5 },
];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('policies', () => {
  it('return a full probability vector over the candidates that sums to 1', () => {
    const model = trained();
    for (const result of scorePolicies(model, ALL, { userId: 'u1', candidates, rng: createRng(1) })) {
      expect(result.probabilities).toHaveLength(candidates.length);
      expect(sum(result.probabilities)).toBeCloseTo(1, 12);
      expect(result.probabilities.every((p) => p > 0)).toBe(true);
      expect(result.scores).toHaveLength(candidates.length);
      expect(result.modelVersion).toBe(`${layout.version}/60`);
    }
  });

  it('uniform gives 1/n to each', () => {
    expect(scorePolicy(createModel(layout), { kind: 'uniform' }, { candidates }).probabilities).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('epsilon-greedy puts 1 − ε + ε/n on the best mean and splits ties evenly', () => {
    greedyProbabilities([1, 3, 3], 0.3).forEach((p, i) => expect(p).toBeCloseTo(at([0.1, 0.45, 0.45], i), 12));
    expect(greedyProbabilities([2, 2, 2, 2], 0)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const untrained = scorePolicy(createModel(layout), { kind: 'epsilon-greedy', epsilon: 0.2 }, { candidates });
    expect(untrained.probabilities).toEqual([0.25, 0.25, 0.25, 0.25]);
    const result = scorePolicy(trained(), { kind: 'epsilon-greedy', epsilon: 0.2 }, { userId: 'u1', candidates });
    expect(result.probabilities[0]).toBeCloseTo(0.8 + 0.05, 12);
    expect(result.probabilities.slice(1).every((p) => Math.abs(p - 0.05) < 1e-12)).toBe(true);
  });

  it('LinUCB ranks by mean + α·width, so it tries an uncertain candidate over a known mediocre one', () => {
    const model = createModel(layout, { personal: [] });
    for (let t = 0; t < 100; t++) updateModel(model, { features: [1, 1, 0], reward: 0.4 });
    const options = [[1, 1, 0], [1, 0, 1]];
    const greedy = scorePolicy(model, { kind: 'epsilon-greedy', epsilon: 0 }, { candidates: options });
    const ucb = scorePolicy(model, { kind: 'linucb', alpha: 1, epsilon: 0 }, { candidates: options });
    expect(greedy.probabilities).toEqual([1, 0]);
    expect(ucb.probabilities).toEqual([0, 1]);
    const widths = predict(model, undefined, options).widths();
    ucb.scores.forEach((s, i) => expect(s).toBeCloseTo(at(ucb.means, i) + at(widths, i), 12));
  });

  it('Thompson sampling states its sample count and matches P(s₁ > s₂) for two candidates', () => {
    const model = trained();
    const pair = [at(candidates, 0), at(candidates, 1)];
    const samples = 20_000;
    const result = scorePolicy(model, { kind: 'thompson', samples, scale: 0.5, epsilon: 0 }, { userId: 'u1', candidates: pair, rng: createRng(3) });
    expect(result.samples).toBe(samples);
    const p = predict(model, 'u1', pair);
    const c = p.covariance();
    const sd = 0.5 * Math.sqrt(at(c, 0) + at(c, 3) - 2 * at(c, 1));
    const exact = normalCdf((at(p.means, 0) - at(p.means, 1)) / sd);
    // Monte-Carlo error with 20 000 draws is below 0.004; allow 0.01.
    expect(Math.abs(at(result.probabilities, 0) - exact)).toBeLessThan(0.01);
  });

  it('Thompson sampling splits wins between identical candidates and keeps an ε floor', () => {
    const model = trained();
    const twins = [at(candidates, 0), at(candidates, 0), at(candidates, 3)];
    const result = scorePolicy(model, { kind: 'thompson', samples: 1000, epsilon: 0.03 }, { userId: 'u1', candidates: twins, rng: createRng(4) });
    expect(result.probabilities[0]).toBeCloseTo(at(result.probabilities, 1), 12);
    expect(Math.min(...result.probabilities)).toBeGreaterThanOrEqual(0.01 - 1e-12);
  });

  it('gives the same answer for the same seed and a different one for another seed', () => {
    const model = trained();
    const run = (seed: number) => scorePolicies(model, ALL, { userId: 'u1', candidates, rng: createRng(seed) });
    expect(run(11)).toEqual(run(11));
    expect(at(run(11), 3).probabilities).not.toEqual(at(run(12), 3).probabilities);
  });

  it('rejects requests it cannot score', () => {
    const model = trained();
    expect(() => scorePolicy(model, { kind: 'thompson' }, { candidates })).toThrow(expect.objectContaining({ code: 'BANDIT_INVALID_ARGUMENT' }));
    expect(() => scorePolicy(model, { kind: 'uniform' }, { candidates: [] })).toThrow(expect.objectContaining({ code: 'BANDIT_NO_CANDIDATES' }));
    expect(() => scorePolicy(model, { kind: 'uniform' }, { candidates: [[1, 2]] })).toThrow(expect.objectContaining({ code: 'BANDIT_DIMENSION_MISMATCH' }));
    expect(() => greedyProbabilities([1], 1.5)).toThrow(/epsilon/);
  });

  it('mixes a distribution with uniform', () => {
    expect(mixUniform([1, 0], 0.2)).toEqual([0.9, 0.1]);
  });
});

describe('chooseIndex', () => {
  it('is reproducible for a seed and follows the probabilities', () => {
    const probabilities = [0.1, 0.6, 0.3, 0];
    expect(chooseIndex(probabilities, 'decision-1')).toEqual(chooseIndex(probabilities, 'decision-1'));
    const counts = [0, 0, 0, 0];
    let propensityMismatches = 0;
    const rng = createRng('choose');
    for (let t = 0; t < 20_000; t++) {
      const { index, propensity } = chooseIndex(probabilities, rng);
      counts[index] = at(counts, index) + 1;
      if (propensity !== probabilities[index]) propensityMismatches += 1;
    }
    expect(propensityMismatches).toBe(0);
    expect(counts[3]).toBe(0);
    counts.forEach((c, i) => expect(c / 20_000).toBeCloseTo(at(probabilities, i), 1));
  });

  it('rejects empty or invalid probability vectors', () => {
    expect(() => chooseIndex([], 1)).toThrow(expect.objectContaining({ code: 'BANDIT_NO_CANDIDATES' }));
    expect(() => chooseIndex([0, 0], 1)).toThrow(/sum to zero/);
    expect(() => chooseIndex([-1, 2], 1)).toThrow(/≥ 0/);
  });
});

// Φ via the complementary error function (Numerical Recipes' erfc approximation, error < 1.2e-7).
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}
