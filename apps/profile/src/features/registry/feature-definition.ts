import type { Executor } from '@oo/db';
import type { ProfileDatabase } from '../../db/database';

export type FeatureDtype = 'numeric' | 'categorical';

interface DtypeValue {
  numeric: number;
  categorical: string;
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
