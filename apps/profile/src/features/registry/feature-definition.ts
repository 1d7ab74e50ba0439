import type { Executor } from '@oo/db';
import type { ProfileDatabase, StoredReaction } from '../../db/database';

export type FeatureDtype = 'numeric' | 'categorical';

interface DtypeValue {
  numeric: number;
  categorical: string;
}

/** The counts a counted feature's value derives from (e.g. tips done / tips served). */
export interface FeatureCounts {
  numerator: number;
  denominator: number;
}

/** One decision as the tip projections know it: when it was served (if seen) and the reaction (if any). */
export interface TipFact {
  servedAt: Date | null;
  reaction: StoredReaction | null;
}

/** What a newly projected tip event changed: the decision before and after it. */
export interface TipChange {
  before: TipFact;
  after: TipFact;
}

/** Where a cached row stands when a change reaches it: its window ends at `computedAt`, time is `now`. */
export interface CachedWindow {
  computedAt: Date;
  now: Date;
}

/** add: fold the counts into the cached row in place; recompute: delete it; none: it is still right. */
export type TipChangeEffect = { add: FeatureCounts } | 'recompute' | 'none';

/**
 * A feature whose value is a function of counts over the projections. Its cached row keeps the
 * counts, so `onTipChange` can add an event's share in place and the next read stays warm.
 */
export interface CountedFeature {
  counts(userId: string, db: Executor<ProfileDatabase>, now: Date): Promise<FeatureCounts>;
  value(counts: FeatureCounts): number | null;
}

/**
 * One user feature. `compute` reads only the profile's own projections and returns null when
 * the user has no data for it, in which case the declared `fallback` is served.
 */
export interface FeatureDefinition<D extends FeatureDtype = FeatureDtype> {
  name: string;
  dtype: D;
  ttlSec: number;
  description: string;
  /** Subjects whose events change the inputs of this feature; each deletes the user's cached value. */
  invalidatedBy: readonly string[];
  /**
   * Subjects whose events change the inputs too, but are folded into the cached value by
   * `onTipChange` (in the projecting transaction) instead of deleting it. Together with
   * `invalidatedBy` they must cover every table `compute` reads (a test checks it).
   */
  maintainedBy?: readonly string[];
  onTipChange?(change: TipChange, cached: CachedWindow): TipChangeEffect;
  counted?: CountedFeature;
  fallback: DtypeValue[D];
  /** Bump when `compute` changes meaning, so cached values from the old logic are recomputed. */
  revision?: number;
  compute(userId: string, db: Executor<ProfileDatabase>, now: Date): Promise<DtypeValue[D] | null>;
}

/** A definition of either dtype, as the registry holds them. */
export type AnyFeatureDefinition = FeatureDefinition<'numeric'> | FeatureDefinition<'categorical'>;

/**
 * Declares a feature with its fallback and compute result typed by its dtype.
 *
 * @example
 * export const tipVolume = defineFeature({ name: 'tip_volume_30d', dtype: 'numeric', fallback: 0, ... });
 */
export function defineFeature<D extends FeatureDtype>(definition: FeatureDefinition<D>): FeatureDefinition<D> {
  return definition;
}

/**
 * Declares a numeric feature computed from counts; `compute` is derived from `counted`, so a cold
 * read and the in-place fold can never disagree about what the value means.
 *
 * @example
 * defineCountedFeature({ name: 'tip_volume_30d', ..., counted: { counts, value: (c) => c.numerator }, onTipChange });
 */
export function defineCountedFeature(
  definition: Omit<FeatureDefinition<'numeric'>, 'dtype' | 'compute' | 'counted'> & { counted: CountedFeature },
): FeatureDefinition<'numeric'> {
  const { counted } = definition;
  return { ...definition, dtype: 'numeric', compute: async (userId, db, now) => counted.value(await counted.counts(userId, db, now)) };
}
