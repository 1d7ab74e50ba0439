import { BanditError } from '../errors/bandit-error';
import { dot, dotAt, matVec, matVecAt, type Vector } from '../linalg/dense-kernels';
import type { BanditModel } from './bandit-model';
import { ridgeMean, type RidgeStats } from './ridge-stats';
import { gather, type UserStats } from './user-stats';

// Math's functions as module constants: under jest (a vm context) every lookup of the global
// `Math` goes through an interceptor and costs ~100× a local read.
const { max, sqrt } = Math;

/**
 * The model's belief about each candidate's reward for one user: posterior means now, and on
 * demand the posterior widths (standard deviations, up to the noise scale) and the full n×n
 * covariance of the candidates' scores. Widths and covariance are lazy so greedy scoring never
 * pays for them.
 */
export interface Prediction {
  readonly n: number;
  readonly means: Float64Array;
  widths(): Float64Array;
  covariance(): Float64Array;
}

// θ_g only changes when the global statistics do; caching it per object keeps greedy scoring at
// O(n·d). Keyed by the stats object so migrated or reloaded models never see a stale θ.
const thetaCache = new WeakMap<RidgeStats, { count: number; theta: Float64Array }>();

/**
 * Predicts the candidates' rewards for a user under the hierarchical model (README, "The model"):
 *   δ_u = P⁻¹(b_u − M_u·θ_g),   mean_i = x_i·θ_g + x_{S,i}·δ_u
 *   Cov(s_i, s_j) = x_{S,i}ᵀP⁻¹x_{S,j} + g_iᵀA_g⁻¹g_j,   g_i = x_i − M_uᵀP⁻¹x_{S,i}
 * The first term is the user's own uncertainty given θ_g; the second the population's, as it
 * reaches this user through their shrinkage (law of total variance). A user without data has
 * δ_u = 0, g_i = x_i and Var = |x_S|²/λ_u + xᵀA_g⁻¹x.
 *
 * @example
 * const p = predict(model, 'u1', xs);
 * p.means[0]; p.widths()[0];
 */
export function predict(model: BanditModel, userId: string | undefined, candidates: readonly Vector[]): Prediction {
  const d = model.layout.names.length;
  const n = candidates.length;
  candidates.forEach((x, i) => {
    if (x.length !== d) {
      throw new BanditError('BANDIT_DIMENSION_MISMATCH', `candidate ${i} has ${x.length} features, layout has ${d}`);
    }
  });
  const thetaG = globalTheta(model.global);
  const index = model.personalIndex;
  const k = index.length;
  const stored = userId === undefined || k === 0 ? undefined : model.users.get(userId);
  const user = stored !== undefined && stored.count > 0 ? stored : undefined;

  const means = new Float64Array(n);
  for (let i = 0; i < n; i++) means[i] = dot(candidates[i] as Vector, thetaG, d);
  if (user !== undefined) {
    const delta = userDeviation(user, thetaG);
    const xs = new Float64Array(k);
    for (let i = 0; i < n; i++) means[i] = (means[i] as number) + dot(gather(candidates[i] as Vector, index, xs), delta, k);
  }

  let parts: { xs: Float64Array; z: Float64Array; g: Float64Array; w: Float64Array } | undefined;
  const ensureParts = () => {
    if (parts !== undefined) return parts;
    const xs = new Float64Array(n * k);
    const z = new Float64Array(n * k);
    const g = new Float64Array(n * d);
    const w = new Float64Array(n * d);
    const lambdaU = model.config.userLambda;
    for (let i = 0; i < n; i++) {
      const x = candidates[i] as Vector;
      const xo = i * k;
      const go = i * d;
      for (let r = 0; r < k; r++) xs[xo + r] = x[index[r] as number] as number;
      for (let j = 0; j < d; j++) g[go + j] = x[j] as number;
      if (user === undefined) {
        for (let r = 0; r < k; r++) z[xo + r] = (xs[xo + r] as number) / lambdaU;
      } else {
        matVecAt(user.aInv, k, xs, xo, z, xo);
        // g_i = x_i − Mᵀz_i
        for (let r = 0; r < k; r++) {
          const zr = z[xo + r] as number;
          const row = r * d;
          for (let j = 0; j < d; j++) g[go + j] = (g[go + j] as number) - zr * (user.cross[row + j] as number);
        }
      }
      matVecAt(model.global.aInv, d, g, go, w, go);
    }
    parts = { xs, z, g, w };
    return parts;
  };
  const entry = (i: number, j: number): number => {
    const { xs, z, g, w } = ensureParts();
    return dotAt(xs, i * k, z, j * k, k) + dotAt(g, i * d, w, j * d, d);
  };

  let widths: Float64Array | undefined;
  let covariance: Float64Array | undefined;
  return {
    n,
    means,
    widths() {
      if (widths !== undefined) return widths;
      widths = new Float64Array(n);
      for (let i = 0; i < n; i++) widths[i] = sqrt(max(entry(i, i), 0));
      return widths;
    },
    covariance() {
      if (covariance !== undefined) return covariance;
      const c = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          const v = entry(i, j);
          c[i * n + j] = v;
          c[j * n + i] = v;
        }
      }
      covariance = c;
      return c;
    },
  };
}

/**
 * θ_g = A_g⁻¹b_g, cached until the global statistics change.
 *
 * @example
 * globalTheta(model.global)[0]; // the global intercept
 */
export function globalTheta(stats: RidgeStats): Float64Array {
  const hit = thetaCache.get(stats);
  if (hit !== undefined && hit.count === stats.count) return hit.theta;
  const theta = ridgeMean(stats, new Float64Array(stats.dim));
  thetaCache.set(stats, { count: stats.count, theta });
  return theta;
}

/**
 * δ_u = P⁻¹(b_u − M_u·θ_g): the user's deviation on the personal dimensions given θ_g.
 *
 * @example
 * userDeviation(model.users.get('u1')!, globalTheta(model.global));
 */
export function userDeviation(user: UserStats, thetaG: Float64Array): Float64Array {
  const k = user.dim;
  const d = user.width;
  const rhs = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    let s = user.b[r] as number;
    const row = r * d;
    for (let j = 0; j < d; j++) s -= (user.cross[row + j] as number) * (thetaG[j] as number);
    rhs[r] = s;
  }
  return matVec(user.aInv, k, rhs, new Float64Array(k));
}
