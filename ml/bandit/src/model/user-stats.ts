import type { Vector } from '../linalg/dense-kernels';
import { createRidgeStats, updateRidgeStats, type RidgeStats } from './ridge-stats';

/**
 * A user's statistics over the personal dimensions S (k of the layout's d):
 * P = λ_u·I + Σ x_S·x_Sᵀ and b = Σ r·x_S (the ridge part, k×k), plus the cross moments
 * M = Σ x_S·xᵀ (k×d) so that the user's deviation can be computed against the *current* global
 * weights: δ_u = P⁻¹(b − M·θ_g). Nothing the user contributed goes stale when θ_g moves on.
 */
export interface UserStats extends RidgeStats {
  /** d, the full layout width. */
  readonly width: number;
  /** M, k×d row-major. */
  readonly cross: Float64Array;
}

/**
 * Fresh statistics for a user: P = λ_u·I, b = 0, M = 0.
 *
 * @example
 * const user = createUserStats(k, d, 8);
 */
export function createUserStats(dim: number, width: number, prior: number): UserStats {
  return { ...createRidgeStats(dim, prior), width, cross: new Float64Array(dim * width) };
}

/**
 * Adds one observation of the user.
 *
 * @example
 * updateUserStats(user, x, personalIndex, reward, 5000);
 */
export function updateUserStats(
  stats: UserStats,
  x: Vector,
  personalIndex: Int32Array,
  reward: number,
  refreshEvery: number,
): void {
  const k = stats.dim;
  const d = stats.width;
  const xs = gather(x, personalIndex, new Float64Array(k));
  updateRidgeStats(stats, xs, reward, new Float64Array(k), refreshEvery);
  for (let i = 0; i < k; i++) {
    const xi = xs[i] as number;
    if (xi === 0) continue;
    const row = i * d;
    for (let j = 0; j < d; j++) stats.cross[row + j] = (stats.cross[row + j] as number) + xi * (x[j] as number);
  }
}

/** out[i] = x[index[i]]. */
export function gather(x: Vector, index: Int32Array, out: Float64Array): Float64Array {
  for (let i = 0; i < index.length; i++) out[i] = x[index[i] as number] as number;
  return out;
}

/** A deep copy of a user's statistics. */
export function cloneUserStats(stats: UserStats): UserStats {
  return { ...stats, a: stats.a.slice(), aInv: stats.aInv.slice(), b: stats.b.slice(), cross: stats.cross.slice() };
}
