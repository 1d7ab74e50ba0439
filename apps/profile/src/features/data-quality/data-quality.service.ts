import { sql, type Kysely } from '@oo/db';
import type { ProfileDatabase } from '../../db/database';
import type { Clock } from '../profile-features/profile-features.service';
import type { FeatureRegistry } from '../registry/feature-registry';

export interface FeatureQuality {
  name: string;
  /** Users the profile knows (has a profile row for). */
  eligibleUsers: number;
  /** Eligible users with no cached value: they pay a recompute on their next read. */
  missing: number;
  /** Cached values past their TTL or from an older registry version. */
  stale: number;
}

/** Features by name: those after `after`, at most `limit`. */
export interface FeatureRange {
  after?: string;
  limit?: number;
}

/**
 * Counts, per feature (in name order; a range of them when given), how many known users lack a
 * cached value and how many values are stale.
 *
 * @example
 * const report = await dataQuality(db, registry, () => new Date(), { limit: 50 });
 */
export async function dataQuality(db: Kysely<ProfileDatabase>, registry: FeatureRegistry, clock: Clock, range: FeatureRange = {}): Promise<FeatureQuality[]> {
  const now = clock().getTime();
  const wanted = [...registry.features]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter((f) => range.after === undefined || f.name > range.after)
    .slice(0, range.limit);
  if (wanted.length === 0) return [];
  const { eligible } = await db.selectFrom('profiles').select(sql<number>`count(*)::int`.as('eligible')).executeTakeFirstOrThrow();
  return Promise.all(
    wanted.map(async (f) => {
      const expiredBefore = new Date(now - f.ttlSec * 1000);
      const row = await db
        .selectFrom('user_profile_features as f')
        .innerJoin('profiles as p', 'p.user_id', 'f.user_id')
        .select([
          sql<number>`count(*)::int`.as('present'),
          sql<number>`(count(*) filter (where f.computed_at <= ${expiredBefore} or f.registry_version <> ${registry.version}))::int`.as('stale'),
        ])
        .where('f.name', '=', f.name)
        .executeTakeFirstOrThrow();
      return { name: f.name, eligibleUsers: eligible, missing: eligible - row.present, stale: row.stale };
    }),
  );
}
