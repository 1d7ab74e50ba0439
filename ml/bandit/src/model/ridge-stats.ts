import { addOuter, matVec, scaledIdentity, shermanMorrison, type Vector } from '../linalg/dense-kernels';
import { invertSpd } from '../linalg/spd-inverse';

/**
 * Sufficient statistics of a ridge regression with prior precision λ:
 * A = λI + Σ x·xᵀ, b = Σ r·x, so that the posterior mean is θ = A⁻¹b.
 * A is kept (not only A⁻¹) because layout migration needs sub-blocks of A — a sub-block of A⁻¹
 * is not the inverse of anything useful — and because A lets us re-invert to wash out round-off.
 */
export interface RidgeStats {
  readonly dim: number;
  readonly prior: number;
  readonly a: Float64Array;
  readonly aInv: Float64Array;
  readonly b: Float64Array;
  count: number;
  sumSquaredReward: number;
  /** Rank-one updates applied to `aInv` since it was last computed from `a` directly. */
  sinceRefresh: number;
}

/**
 * Fresh statistics: A = λI, b = 0.
 *
 * @example
 * const stats = createRidgeStats(16, 1);
 */
export function createRidgeStats(dim: number, prior: number): RidgeStats {
  return {
    dim,
    prior,
    a: scaledIdentity(dim, prior),
    aInv: scaledIdentity(dim, 1 / prior),
    b: new Float64Array(dim),
    count: 0,
    sumSquaredReward: 0,
    sinceRefresh: 0,
  };
}

/**
 * Adds one observation (x, r): A += x·xᵀ, b += r·x, and A⁻¹ by Sherman–Morrison in O(d²).
 * Every `refreshEvery` updates A⁻¹ is recomputed from A (O(d³)) so round-off cannot accumulate.
 *
 * @example
 * updateRidgeStats(stats, x, 1, scratch, 5000);
 */
export function updateRidgeStats(
  stats: RidgeStats,
  x: Vector,
  reward: number,
  scratch: Float64Array,
  refreshEvery: number,
): void {
  const d = stats.dim;
  addOuter(stats.a, d, x, 1);
  for (let i = 0; i < d; i++) stats.b[i] = (stats.b[i] as number) + reward * (x[i] as number);
  stats.count += 1;
  stats.sumSquaredReward += reward * reward;
  stats.sinceRefresh += 1;
  if (refreshEvery > 0 && stats.sinceRefresh >= refreshEvery) {
    refreshInverse(stats);
  } else {
    shermanMorrison(stats.aInv, d, x, scratch);
  }
}

/**
 * Recomputes A⁻¹ from A.
 *
 * @example
 * refreshInverse(stats);
 */
export function refreshInverse(stats: RidgeStats): void {
  stats.aInv.set(invertSpd(stats.a, stats.dim));
  stats.sinceRefresh = 0;
}

/**
 * θ = A⁻¹b into `out`.
 *
 * @example
 * const theta = ridgeMean(stats, new Float64Array(stats.dim));
 */
export function ridgeMean(stats: RidgeStats, out: Float64Array): Float64Array {
  return matVec(stats.aInv, stats.dim, stats.b, out);
}

/** A deep copy; models are copied on migration so the caller's state is never mutated. */
export function cloneRidgeStats(stats: RidgeStats): RidgeStats {
  return { ...stats, a: stats.a.slice(), aInv: stats.aInv.slice(), b: stats.b.slice() };
}
