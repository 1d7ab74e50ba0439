import type { AnyFeatureDefinition, TipChange } from '../registry/feature-definition';
import type { FeatureRow } from './profile-features.repository';

export interface TipChangeFold {
  /** Rows with the change folded in, computed_at kept: the TTL still ages their window. */
  updated: FeatureRow[];
  /** Names whose rows must be deleted so the next read recomputes them. */
  recompute: string[];
}

/**
 * Applies one projected tip change to the cached rows of the features that maintain themselves
 * from it. A row that is missing, from another registry version or without counts is left to the
 * next read (deleted, or already absent).
 *
 * @example
 * foldTipChange(registry.maintainedBy('signals.tip.served'), rows, change, { registryVersion, now });
 */
export function foldTipChange(
  features: readonly AnyFeatureDefinition[],
  rows: readonly FeatureRow[],
  change: TipChange | null,
  at: { registryVersion: string; now: Date },
): TipChangeFold {
  const fold: TipChangeFold = { updated: [], recompute: [] };
  if (!change) return fold;
  const byName = new Map(rows.map((r) => [r.name, r]));
  for (const feature of features) {
    const row = byName.get(feature.name);
    if (!row || !feature.onTipChange) continue;
    if (row.registry_version !== at.registryVersion) {
      fold.recompute.push(feature.name);
      continue;
    }
    const effect = feature.onTipChange(change, { computedAt: row.computed_at, now: at.now });
    if (effect === 'none') continue;
    if (effect === 'recompute' || !feature.counted || row.numerator === null || row.denominator === null) {
      fold.recompute.push(feature.name);
      continue;
    }
    const counts = { numerator: row.numerator + effect.add.numerator, denominator: row.denominator + effect.add.denominator };
    const value = feature.counted.value(counts);
    fold.updated.push({ ...row, ...counts, value: value ?? (feature.fallback as number), is_fallback: value === null });
  }
  return fold;
}
