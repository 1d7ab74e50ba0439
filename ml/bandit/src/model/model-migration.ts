import { assertArgument } from '../errors/bandit-error';
import { sameLayout, type FeatureLayout } from '../features/feature-layout';
import type { Vector } from '../linalg/dense-kernels';
import { invertSpd } from '../linalg/spd-inverse';
import { personalIndexFor, type BanditModel } from './bandit-model';
import { cloneRidgeStats, type RidgeStats } from './ridge-stats';
import { cloneUserStats, type UserStats } from './user-stats';

/**
 * - `newPriorScale` (default 1): new dimensions start with precision scale·λ instead of λ. Above 1
 *   they move more slowly, so the first few observations after a change cannot swing rankings
 *   through weights that have seen no data yet.
 */
export interface MigrationOptions {
  readonly newPriorScale?: number;
}

/** What a migration did, for logs and the `ml.model.updated` event. */
export interface MigrationReport {
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly kept: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Moves a model onto a new feature layout without forgetting what it learned.
 *
 * Kept dimensions carry their block of A = λI + Σx·xᵀ (cross terms included) and their entries
 * of b: that block is exactly what the model would hold had it been trained on the kept features
 * alone. Added dimensions start at the prior (A = λ on the diagonal, no cross terms, b = 0), as
 * if every past observation had held 0 there; removed dimensions are dropped. A⁻¹ is then
 * recomputed once per part. Matching is by name, so a reorder moves statistics along with names.
 * Users' parts migrate the same way on both of their axes (personal dimensions, and the layout
 * for the cross moments). The input model is not changed; the version counter continues, plus one.
 *
 * @example
 * const { model: next, report } = migrateModel(model, newBuilder.layout);
 * report.added; // ['cand.due_soon', …]
 */
export function migrateModel(
  model: BanditModel,
  layout: FeatureLayout,
  options: MigrationOptions = {},
): { model: BanditModel; report: MigrationReport } {
  const scale = options.newPriorScale ?? 1;
  assertArgument(scale > 0 && Number.isFinite(scale), 'newPriorScale must be a positive number');
  const oldIndex = new Map(model.layout.names.map((name, i) => [name, i]));
  const newNames = new Set(layout.names);
  const mapping = layout.names.map((name) => oldIndex.get(name) ?? -1);
  const report: MigrationReport = {
    fromVersion: model.layout.version,
    toVersion: layout.version,
    kept: layout.names.filter((name) => oldIndex.has(name)),
    added: layout.names.filter((name) => !oldIndex.has(name)),
    removed: model.layout.names.filter((name) => !newNames.has(name)),
  };
  if (sameLayout(model.layout, layout)) {
    const users = new Map([...model.users].map(([id, stats]) => [id, cloneUserStats(stats)]));
    return { model: { ...model, global: cloneRidgeStats(model.global), users }, report };
  }
  const personalIndex = personalIndexFor(layout, model.config.personal);
  // Old personal position of each new personal dimension (or −1), through the names.
  const oldPersonal = new Map(Array.from(model.personalIndex, (layoutPos, p) => [model.layout.names[layoutPos], p]));
  const personalMapping = Array.from(personalIndex, (pos) => oldPersonal.get(layout.names[pos]) ?? -1);
  const users = new Map<string, UserStats>();
  for (const [userId, stats] of model.users) {
    const cross = new Float64Array(personalMapping.length * mapping.length);
    personalMapping.forEach((op, r) => {
      if (op < 0) return;
      mapping.forEach((oj, j) => {
        if (oj >= 0) cross[r * mapping.length + j] = stats.cross[op * stats.width + oj] as number;
      });
    });
    users.set(userId, { ...migrateStats(stats, personalMapping, scale), width: mapping.length, cross });
  }
  return {
    model: {
      layout,
      config: model.config,
      personalIndex,
      global: migrateStats(model.global, mapping, scale),
      users,
      version: model.version + 1,
    },
    report,
  };
}

/**
 * Re-expresses a vector from one layout in another: kept names carry their value, new names get
 * `missing`.
 *
 * @example
 * alignVector(oldLayout, newLayout, x);
 */
export function alignVector(from: FeatureLayout, to: FeatureLayout, x: Vector, missing = 0): Float64Array {
  const index = new Map(from.names.map((name, i) => [name, i]));
  return Float64Array.from(to.names, (name) => {
    const i = index.get(name);
    return i === undefined ? missing : (x[i] as number);
  });
}

function migrateStats(stats: RidgeStats, mapping: readonly number[], scale: number): RidgeStats {
  const d = mapping.length;
  const oldD = stats.dim;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const oi = mapping[i] as number;
    if (oi < 0) {
      a[i * d + i] = stats.prior * scale;
      continue;
    }
    b[i] = stats.b[oi] as number;
    for (let j = 0; j < d; j++) {
      const oj = mapping[j] as number;
      if (oj >= 0) a[i * d + j] = stats.a[oi * oldD + oj] as number;
    }
  }
  return {
    dim: d,
    prior: stats.prior,
    a,
    aInv: d === 0 ? a : invertSpd(a, d),
    b,
    count: stats.count,
    sumSquaredReward: stats.sumSquaredReward,
    sinceRefresh: 0,
  };
}
