import { BanditError, assertArgument } from '../errors/bandit-error';
import type { Vector } from '../linalg/dense-kernels';
import { createRng, type Seed } from '../random/seeded-rng';
import { percentileInterval } from './bootstrap-interval';
import { crossFittedRewards, type RewardModelOptions } from './reward-model';

/** One logged decision: what the logging policy offered, with which probabilities, and the outcome. */
export interface LoggedDecision {
  /** The logging policy's full probability vector over the candidates. */
  readonly probabilities: readonly number[];
  readonly chosen: number;
  readonly reward: number;
  /** Every candidate's model vector (needed by the DR reward model). */
  readonly candidates: readonly Vector[];
}

/** A point estimate of a policy's average reward per decision, with its bootstrap interval. */
export interface Estimate {
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
}

export interface PolicyEvaluation {
  readonly n: number;
  /** Inverse propensity scoring: mean of w·r with w = π(a)/μ(a). Unbiased; high variance. */
  readonly ips: Estimate;
  /** Self-normalised IPS: Σw·r / Σw. Slightly biased, far steadier when weights are large. */
  readonly snips: Estimate;
  /** Doubly robust: the reward model's value of π plus the IPS-weighted residual of the choice. */
  readonly dr: Estimate;
  /** The reward model alone (direct method); its interval ignores the model's own error. */
  readonly dm: Estimate;
  /** (Σw)² / Σw²: how many decisions the estimate is effectively worth. */
  readonly effectiveSampleSize: number;
}

export interface EvaluationOptions {
  readonly seed?: Seed;
  /** Bootstrap resamples (default 1000). */
  readonly resamples?: number;
  /** Interval level (default 0.95). */
  readonly level?: number;
  readonly rewardModel?: RewardModelOptions;
}

/**
 * Estimates the value of a target policy from decisions logged under another one, with IPS,
 * SNIPS, DR and DM, each with a seeded bootstrap percentile interval. The same resamples serve
 * every estimator; the DR reward model is fitted once (cross-fitted), not per resample.
 *
 * @example
 * const evaluation = evaluatePolicy(logs, logs.map((l) => shadowProbabilities(l)), { seed: 7 });
 * evaluation.dr; // { value, lower, upper }
 */
export function evaluatePolicy(
  logs: readonly LoggedDecision[],
  targetProbabilities: readonly (readonly number[])[],
  options: EvaluationOptions = {},
): PolicyEvaluation {
  validate(logs, targetProbabilities);
  const n = logs.length;
  const predicted = crossFittedRewards(logs, options.rewardModel);
  const weight = new Float64Array(n);
  const weightedReward = new Float64Array(n);
  const drTerm = new Float64Array(n);
  const dmTerm = new Float64Array(n);
  logs.forEach((log, t) => {
    const target = targetProbabilities[t] as readonly number[];
    const rHat = predicted[t] as Float64Array;
    const w = (target[log.chosen] as number) / (log.probabilities[log.chosen] as number);
    let dm = 0;
    for (let a = 0; a < target.length; a++) dm += (target[a] as number) * (rHat[a] as number);
    weight[t] = w;
    weightedReward[t] = w * log.reward;
    dmTerm[t] = dm;
    drTerm[t] = dm + w * (log.reward - (rHat[log.chosen] as number));
  });

  const resamples = options.resamples ?? 1000;
  assertArgument(Number.isInteger(resamples) && resamples >= 1, 'resamples must be a positive integer');
  const level = options.level ?? 0.95;
  const rng = createRng(options.seed ?? 0);
  const reps = { ips: new Float64Array(resamples), snips: new Float64Array(resamples), dr: new Float64Array(resamples), dm: new Float64Array(resamples) };
  for (let b = 0; b < resamples; b++) {
    let sw = 0;
    let swr = 0;
    let sdr = 0;
    let sdm = 0;
    for (let k = 0; k < n; k++) {
      const t = rng.int(n);
      sw += weight[t] as number;
      swr += weightedReward[t] as number;
      sdr += drTerm[t] as number;
      sdm += dmTerm[t] as number;
    }
    reps.ips[b] = swr / n;
    reps.snips[b] = sw > 0 ? swr / sw : 0;
    reps.dr[b] = sdr / n;
    reps.dm[b] = sdm / n;
  }
  const sumW = sum(weight);
  const sumW2 = weight.reduce((acc, w) => acc + w * w, 0);
  const estimate = (value: number, replicates: Float64Array): Estimate => {
    const [lower, upper] = percentileInterval(replicates, level);
    return { value, lower, upper };
  };
  return {
    n,
    ips: estimate(sum(weightedReward) / n, reps.ips),
    snips: estimate(sumW > 0 ? sum(weightedReward) / sumW : 0, reps.snips),
    dr: estimate(sum(drTerm) / n, reps.dr),
    dm: estimate(sum(dmTerm) / n, reps.dm),
    effectiveSampleSize: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0,
  };
}

function validate(logs: readonly LoggedDecision[], targets: readonly (readonly number[])[]): void {
  if (logs.length === 0) throw new BanditError('BANDIT_INVALID_ARGUMENT', 'no logged decisions to evaluate');
  if (targets.length !== logs.length) {
    throw new BanditError('BANDIT_INVALID_ARGUMENT', `${logs.length} decisions but ${targets.length} target vectors`);
  }
  const d = logs[0]?.candidates[0]?.length ?? 0;
  logs.forEach((log, t) => {
    const k = log.candidates.length;
    const where = `decision ${t}`;
    assertArgument(k > 0 && log.probabilities.length === k, `${where}: probabilities must cover every candidate`);
    assertArgument((targets[t] as readonly number[]).length === k, `${where}: target probabilities must cover every candidate`);
    assertArgument(Number.isInteger(log.chosen) && log.chosen >= 0 && log.chosen < k, `${where}: chosen index out of range`);
    assertArgument((log.probabilities[log.chosen] as number) > 0, `${where}: the chosen candidate had propensity 0`);
    assertArgument(Number.isFinite(log.reward), `${where}: reward must be finite`);
    if (log.candidates.some((x) => x.length !== d)) {
      throw new BanditError('BANDIT_DIMENSION_MISMATCH', `${where}: candidate vectors must all have ${d} features`);
    }
  });
}

function sum(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
