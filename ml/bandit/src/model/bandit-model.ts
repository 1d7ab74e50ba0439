import { BanditError, assertArgument } from '../errors/bandit-error';
import type { FeatureLayout } from '../features/feature-layout';
import type { Vector } from '../linalg/dense-kernels';
import { createRidgeStats, updateRidgeStats, type RidgeStats } from './ridge-stats';
import { createUserStats, updateUserStats, type UserStats } from './user-stats';

/**
 * Which dimensions get a per-user deviation:
 * - `'main-effects'` (default): every name without `*` — bias, `cand.*`, `ctx.*`. Each user
 *   shifts their taste for kinds, overdue, priority…; how those play with the context is learned
 *   across everyone, where there is data enough for it.
 * - `'all'`: every dimension.
 * - a list of names; names absent from the layout are ignored, so a list may name features yet
 *   to come. An empty list turns the personal part off.
 */
export type PersonalFeatures = 'main-effects' | 'all' | readonly string[];

/**
 * Hyper-parameters of the hierarchical ridge model (see README, "The model").
 * - `lambda`: prior precision of the global weights, θ_g ~ N(0, I/λ).
 * - `userLambda`: precision of a user's deviation on the personal dimensions, δ_u ~ N(0, I/λ_u).
 *   Large values trust the population; small values let a user's own data dominate sooner.
 * - `personal`: the personal dimensions.
 * - `refreshEvery`: re-invert from scratch after this many rank-one updates (0 = never).
 */
export interface ModelConfig {
  readonly lambda: number;
  readonly userLambda: number;
  readonly personal: PersonalFeatures;
  readonly refreshEvery: number;
}

export const DEFAULT_MODEL_CONFIG: ModelConfig = Object.freeze({
  lambda: 1,
  userLambda: 8,
  personal: 'main-effects',
  refreshEvery: 5000,
});

/** A global model plus per-user parts over one feature layout; mutated in place by updates. */
export interface BanditModel {
  readonly layout: FeatureLayout;
  readonly config: ModelConfig;
  /** Layout positions of the personal dimensions, in layout order (derived from config). */
  readonly personalIndex: Int32Array;
  readonly global: RidgeStats;
  readonly users: Map<string, UserStats>;
  /** Advances by one with every observation learned; with the layout it names the model state. */
  version: number;
}

/** One learned outcome: the chosen candidate's model vector and the reward it earned. */
export interface Observation {
  readonly userId?: string;
  readonly features: Vector;
  readonly reward: number;
}

/**
 * An empty model: every weight at its prior.
 *
 * @example
 * const model = createModel(builder.layout, { userLambda: 4 });
 */
export function createModel(layout: FeatureLayout, config: Partial<ModelConfig> = {}): BanditModel {
  const full = resolveConfig(config);
  return {
    layout,
    config: full,
    personalIndex: personalIndexFor(layout, full.personal),
    global: createRidgeStats(layout.names.length, full.lambda),
    users: new Map(),
    version: 0,
  };
}

/**
 * Learns one observation: a rank-one step on the global statistics and on the user's.
 *
 * @example
 * updateModel(model, { userId: 'u1', features: xs[chosen], reward: 1 });
 */
export function updateModel(model: BanditModel, observation: Observation): void {
  const d = model.layout.names.length;
  if (observation.features.length !== d) {
    throw new BanditError('BANDIT_DIMENSION_MISMATCH', `observation has ${observation.features.length} features, layout has ${d}`);
  }
  assertArgument(Number.isFinite(observation.reward), 'reward must be a finite number');
  for (let i = 0; i < d; i++) assertArgument(Number.isFinite(observation.features[i]), 'features must be finite');
  updateRidgeStats(model.global, observation.features, observation.reward, new Float64Array(d), model.config.refreshEvery);
  if (model.personalIndex.length > 0 && observation.userId !== undefined) {
    const user = userStatsFor(model, observation.userId);
    updateUserStats(user, observation.features, model.personalIndex, observation.reward, model.config.refreshEvery);
  }
  model.version += 1;
}

/**
 * The user's statistics, created at the prior on first use.
 *
 * @example
 * userStatsFor(model, 'u1').count; // decisions learned for u1
 */
export function userStatsFor(model: BanditModel, userId: string): UserStats {
  let stats = model.users.get(userId);
  if (stats === undefined) {
    stats = createUserStats(model.personalIndex.length, model.layout.names.length, model.config.userLambda);
    model.users.set(userId, stats);
  }
  return stats;
}

/**
 * Drops a user's personal part (account deletion). Their past observations stay blended into
 * the global statistics, which hold no per-user record.
 *
 * @example
 * forgetUser(model, 'u1');
 */
export function forgetUser(model: BanditModel, userId: string): boolean {
  const removed = model.users.delete(userId);
  if (removed) model.version += 1;
  return removed;
}

/**
 * The model version reported with every score: layout version and update counter.
 *
 * @example
 * modelVersion(model); // 'fl-3fa9c1d20b7e4411/1234'
 */
export function modelVersion(model: BanditModel): string {
  return `${model.layout.version}/${model.version}`;
}

/**
 * Layout positions of the personal dimensions.
 *
 * @example
 * personalIndexFor(layout, 'main-effects');
 */
export function personalIndexFor(layout: FeatureLayout, personal: PersonalFeatures): Int32Array {
  const index: number[] = [];
  layout.names.forEach((name, i) => {
    const wanted = personal === 'all' || (personal === 'main-effects' ? !name.includes('*') : personal.includes(name));
    if (wanted) index.push(i);
  });
  return Int32Array.from(index);
}

/** Fills in defaults and validates hyper-parameters. */
export function resolveConfig(config: Partial<ModelConfig>): ModelConfig {
  const full = { ...DEFAULT_MODEL_CONFIG, ...config };
  assertArgument(full.lambda > 0 && Number.isFinite(full.lambda), 'lambda must be a positive number');
  assertArgument(full.userLambda > 0 && Number.isFinite(full.userLambda), 'userLambda must be a positive number');
  assertArgument(Number.isInteger(full.refreshEvery) && full.refreshEvery >= 0, 'refreshEvery must be an integer ≥ 0');
  const personal = typeof full.personal === 'string' ? full.personal : Object.freeze([...full.personal]);
  assertArgument(
    personal === 'all' || personal === 'main-effects' || Array.isArray(personal),
    'personal must be "all", "main-effects" or a list of names',
  );
  return Object.freeze({ ...full, personal });
}
