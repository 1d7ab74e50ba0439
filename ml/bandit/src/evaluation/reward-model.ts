import { addOuter, dot, matVec, scaledIdentity, type Vector } from '../linalg/dense-kernels';
import { invertSpd } from '../linalg/spd-inverse';

// Math's functions as module constants: under jest (a vm context) every lookup of the global
// `Math` goes through an interceptor and costs ~100× a local read.
const { max, min } = Math;

/** Options of the doubly robust estimator's reward model. */
export interface RewardModelOptions {
  /** Ridge prior precision (default 1). */
  readonly lambda?: number;
  /** Cross-fitting folds (default 2): each decision is predicted by a model fitted without it. */
  readonly folds?: number;
}

/** The rows a reward model learns from: every candidate's vector, the chosen one's reward. */
export interface RewardModelRow {
  readonly candidates: readonly Vector[];
  readonly chosen: number;
  readonly reward: number;
}

/**
 * Fits ridge regressions of reward on the chosen candidate's vector and predicts every
 * candidate of every decision, cross-fitted so no decision is scored by a model that saw its own
 * reward (in-sample predictions would make DR's correction term shrink towards zero). Predictions
 * are clipped to the range of observed rewards.
 *
 * @example
 * const predicted = crossFittedRewards(logs, { folds: 2 }); // predicted[t][a]
 */
export function crossFittedRewards(rows: readonly RewardModelRow[], options: RewardModelOptions = {}): Float64Array[] {
  const lambda = options.lambda ?? 1;
  const n = rows.length;
  if (n === 0) return [];
  const folds = max(1, min(options.folds ?? 2, n));
  const d = (rows[0] as RewardModelRow).candidates[0]?.length ?? 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of rows) {
    lo = min(lo, row.reward);
    hi = max(hi, row.reward);
  }
  // Per-fold statistics; a fold's model is the total minus that fold.
  const totalA = scaledIdentity(d, lambda);
  const totalB = new Float64Array(d);
  const foldA = Array.from({ length: folds }, () => new Float64Array(d * d));
  const foldB = Array.from({ length: folds }, () => new Float64Array(d));
  rows.forEach((row, t) => {
    const x = row.candidates[row.chosen] as Vector;
    const f = t % folds;
    addOuter(totalA, d, x, 1);
    addOuter(foldA[f] as Float64Array, d, x, 1);
    for (let k = 0; k < d; k++) {
      totalB[k] = (totalB[k] as number) + row.reward * (x[k] as number);
      (foldB[f] as Float64Array)[k] = ((foldB[f] as Float64Array)[k] as number) + row.reward * (x[k] as number);
    }
  });
  const thetas = foldA.map((fa, f) => {
    const a = folds === 1 ? totalA : totalA.map((v, i) => v - (fa[i] as number));
    const b = folds === 1 ? totalB : totalB.map((v, i) => v - ((foldB[f] as Float64Array)[i] as number));
    return matVec(invertSpd(a, d), d, b, new Float64Array(d));
  });
  return rows.map((row, t) => {
    const theta = thetas[t % folds] as Float64Array;
    return Float64Array.from(row.candidates, (x) => min(hi, max(lo, dot(x, theta, d))));
  });
}
