import { BanditError } from '../errors/bandit-error';
import { createLayout } from '../features/feature-layout';
import { invertSpd } from '../linalg/spd-inverse';
import { personalIndexFor, resolveConfig, type BanditModel, type ModelConfig } from './bandit-model';
import type { RidgeStats } from './ridge-stats';
import type { UserStats } from './user-stats';

/** Plain-JSON ridge statistics; row-major matrices. `aInv` may be left out to halve the size. */
export interface RidgeSnapshot {
  readonly a: number[];
  readonly aInv?: number[];
  readonly b: number[];
  readonly count: number;
  readonly sumSquaredReward: number;
  /** Rank-one steps since A⁻¹ was last inverted from A; carried so reloads do not postpone refreshes. */
  readonly sinceRefresh?: number;
}

/** A user's part: ridge statistics over the personal dimensions plus the k×d cross moments. */
export interface UserSnapshot extends RidgeSnapshot {
  readonly cross: number[];
}

/** Plain-JSON model state: safe for JSON.stringify, a jsonb column or an event payload. */
export interface ModelSnapshot {
  readonly format: 'oo-bandit/1';
  readonly layout: { readonly names: string[]; readonly version: string };
  readonly config: ModelConfig;
  readonly version: number;
  readonly global: RidgeSnapshot;
  readonly users: Record<string, UserSnapshot>;
}

/**
 * Captures a model as plain JSON-able data.
 *
 * @example
 * const json = JSON.stringify(toSnapshot(model));
 */
export function toSnapshot(model: BanditModel, options: { withInverse?: boolean } = {}): ModelSnapshot {
  const withInverse = options.withInverse ?? true;
  const users: Record<string, UserSnapshot> = {};
  for (const [userId, stats] of model.users) users[userId] = userToSnapshot(stats, withInverse);
  return {
    format: 'oo-bandit/1',
    layout: { names: [...model.layout.names], version: model.layout.version },
    config: { ...model.config },
    version: model.version,
    global: ridgeToSnapshot(model.global, withInverse),
    users,
  };
}

/**
 * Rebuilds a model from a snapshot, checking every length and that the layout version matches
 * its names. Throws `BANDIT_INVALID_STATE` on anything inconsistent.
 *
 * @example
 * const model = fromSnapshot(JSON.parse(json));
 */
export function fromSnapshot(snapshot: ModelSnapshot): BanditModel {
  if (snapshot.format !== 'oo-bandit/1') throw invalid(`unknown snapshot format ${String(snapshot.format)}`);
  const layout = createLayout(snapshot.layout.names);
  if (layout.version !== snapshot.layout.version) throw invalid('layout version does not match its names');
  const config = resolveConfig(snapshot.config);
  const d = layout.names.length;
  const personalIndex = personalIndexFor(layout, config.personal);
  const users = new Map<string, UserStats>();
  for (const [userId, user] of Object.entries(snapshot.users)) {
    users.set(userId, userFromSnapshot(user, personalIndex.length, d, config.userLambda));
  }
  if (!Number.isInteger(snapshot.version) || snapshot.version < 0) throw invalid('version must be an integer ≥ 0');
  return {
    layout,
    config,
    personalIndex,
    global: ridgeFromSnapshot(snapshot.global, d, config.lambda),
    users,
    version: snapshot.version,
  };
}

/**
 * One user's part as JSON — for storing each user in their own row.
 *
 * @example
 * const row = userToSnapshot(model.users.get('u1')!);
 */
export function userToSnapshot(stats: UserStats, withInverse = true): UserSnapshot {
  return { ...ridgeToSnapshot(stats, withInverse), cross: Array.from(stats.cross) };
}

/**
 * Rebuilds one user's part; `dim` is the number of personal dimensions, `width` the layout's.
 *
 * @example
 * model.users.set('u1', userFromSnapshot(row, model.personalIndex.length, model.layout.names.length, model.config.userLambda));
 */
export function userFromSnapshot(snapshot: UserSnapshot, dim: number, width: number, prior: number): UserStats {
  checkArray(snapshot.cross, dim * width, 'cross');
  return { ...ridgeFromSnapshot(snapshot, dim, prior), width, cross: Float64Array.from(snapshot.cross) };
}

/**
 * One ridge part as JSON.
 *
 * @example
 * const global = ridgeToSnapshot(model.global, false);
 */
export function ridgeToSnapshot(stats: RidgeStats, withInverse = true): RidgeSnapshot {
  const base = { a: Array.from(stats.a), b: Array.from(stats.b), count: stats.count, sumSquaredReward: stats.sumSquaredReward };
  return withInverse ? { ...base, aInv: Array.from(stats.aInv), sinceRefresh: stats.sinceRefresh } : base;
}

/**
 * Rebuilds one ridge part, recomputing A⁻¹ when the snapshot left it out.
 *
 * @example
 * const global = ridgeFromSnapshot(json, model.layout.names.length, model.config.lambda);
 */
export function ridgeFromSnapshot(snapshot: RidgeSnapshot, dim: number, prior: number): RidgeStats {
  checkArray(snapshot.a, dim * dim, 'a');
  checkArray(snapshot.b, dim, 'b');
  if (snapshot.aInv !== undefined) checkArray(snapshot.aInv, dim * dim, 'aInv');
  if (!Number.isInteger(snapshot.count) || snapshot.count < 0) throw invalid('count must be an integer ≥ 0');
  if (!Number.isFinite(snapshot.sumSquaredReward)) throw invalid('sumSquaredReward must be finite');
  const a = Float64Array.from(snapshot.a);
  let aInv: Float64Array;
  try {
    aInv = snapshot.aInv === undefined ? invertSpd(a, dim) : Float64Array.from(snapshot.aInv);
  } catch (cause) {
    throw new BanditError('BANDIT_INVALID_STATE', 'A is not positive definite', { cause });
  }
  return {
    dim,
    prior,
    a,
    aInv,
    b: Float64Array.from(snapshot.b),
    count: snapshot.count,
    sumSquaredReward: snapshot.sumSquaredReward,
    sinceRefresh: snapshot.aInv === undefined ? 0 : Math.max(0, Math.floor(snapshot.sinceRefresh ?? 0)),
  };
}

function checkArray(values: unknown, length: number, name: string): void {
  if (!Array.isArray(values) || values.length !== length) throw invalid(`${name} must have ${length} entries`);
  for (const v of values) if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${name} holds a non-finite value`);
}

function invalid(message: string): BanditError {
  return new BanditError('BANDIT_INVALID_STATE', message);
}
