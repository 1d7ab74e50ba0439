import { sql } from '@oo/db';
import { defineFeature, type AnyFeatureDefinition } from './feature-definition';

const WINDOW_DAYS = 30;
const HOUR = 3600;
const FEEDBACK = 'signals.tip.feedback';
const SERVED = 'signals.tip.served';
// Published by this service itself when a user changes timezone; handled in the same transaction.
const PREFERENCES = 'profile.preferences.updated';

const windowStart = (now: Date): Date => new Date(now.getTime() - WINDOW_DAYS * 86_400_000);

/** Share of tips served in the window that got a given reaction; null when none were served. */
function reactionRate(reaction: 'done' | 'dismiss') {
  return async (userId: string, db: Parameters<AnyFeatureDefinition['compute']>[1], now: Date): Promise<number | null> => {
    const row = await db
      .selectFrom('tip_served as s')
      .leftJoin('tip_feedback as f', 'f.decision_id', 's.decision_id')
      .select([
        sql<number>`count(*)::int`.as('served'),
        sql<number>`(count(*) filter (where f.reaction = ${reaction}))::int`.as('matching'),
      ])
      .where('s.user_id', '=', userId)
      .where('s.served_at', '>=', windowStart(now))
      .where('s.served_at', '<=', now)
      .executeTakeFirstOrThrow();
    return row.served === 0 ? null : row.matching / row.served;
  };
}

export const completionRate = defineFeature({
  name: 'completion_rate_30d',
  dtype: 'numeric',
  ttlSec: 6 * HOUR,
  description: 'Share of tips served in the last 30 days that the user marked done.',
  invalidatedBy: [FEEDBACK],
  fallback: 0,
  compute: reactionRate('done'),
});

export const dismissRate = defineFeature({
  name: 'dismiss_rate_30d',
  dtype: 'numeric',
  ttlSec: 6 * HOUR,
  description: 'Share of tips served in the last 30 days that the user dismissed.',
  invalidatedBy: [FEEDBACK],
  fallback: 0,
  compute: reactionRate('dismiss'),
});

export const meanDwell = defineFeature({
  name: 'mean_dwell_ms_30d',
  dtype: 'numeric',
  ttlSec: 6 * HOUR,
  description: 'Mean milliseconds from a tip being served to the reaction, over reactions in the last 30 days.',
  invalidatedBy: [FEEDBACK],
  fallback: 0,
  async compute(userId, db, now) {
    const row = await db
      .selectFrom('tip_feedback')
      .select(sql<number | null>`avg(dwell_ms)::float8`.as('mean'))
      .where('user_id', '=', userId)
      .where('reacted_at', '>=', windowStart(now))
      .where('reacted_at', '<=', now)
      .executeTakeFirstOrThrow();
    return row.mean;
  },
});

export const preferredHour = defineFeature({
  name: 'preferred_hour',
  dtype: 'numeric',
  ttlSec: 24 * HOUR,
  description: "Hour of day (0-23, in the user's timezone) with the most done reactions in the last 30 days; ties go to the earlier hour.",
  invalidatedBy: [FEEDBACK, PREFERENCES],
  fallback: 9,
  async compute(userId, db, now) {
    const row = await db
      .selectFrom('tip_feedback as f')
      .leftJoin('profiles as p', 'p.user_id', 'f.user_id')
      .select([sql<number>`extract(hour from f.reacted_at at time zone coalesce(p.timezone, 'UTC'))::int`.as('hour'), sql`count(*)`.as('n')])
      .where('f.user_id', '=', userId)
      .where('f.reaction', '=', 'done')
      .where('f.reacted_at', '>=', windowStart(now))
      .where('f.reacted_at', '<=', now)
      .groupBy('hour')
      .orderBy('n', 'desc')
      .orderBy('hour', 'asc')
      .limit(1)
      .executeTakeFirst();
    return row?.hour ?? null;
  },
});

export const tipVolume = defineFeature({
  name: 'tip_volume_30d',
  dtype: 'numeric',
  ttlSec: 1 * HOUR,
  description: 'Number of tips served to the user in the last 30 days.',
  invalidatedBy: [SERVED],
  fallback: 0,
  async compute(userId, db, now) {
    const row = await db
      .selectFrom('tip_served')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', userId)
      .where('served_at', '>=', windowStart(now))
      .where('served_at', '<=', now)
      .executeTakeFirstOrThrow();
    return row.n === 0 ? null : row.n;
  },
});

export const favouriteTipKind = defineFeature({
  name: 'favourite_tip_kind_30d',
  dtype: 'categorical',
  ttlSec: 6 * HOUR,
  description: 'The tip kind the user marked done most often in the last 30 days (ties: alphabetical); "none" without any.',
  // Only feedback invalidates: a reaction processed before its served event (the two subjects have
  // separate consumers) is counted at the next recompute, at the latest when the TTL runs out.
  invalidatedBy: [FEEDBACK],
  fallback: 'none',
  async compute(userId, db, now) {
    const row = await db
      .selectFrom('tip_feedback as f')
      .innerJoin('tip_served as s', 's.decision_id', 'f.decision_id')
      .select(['s.tip_kind', sql`count(*)`.as('n')])
      .where('f.user_id', '=', userId)
      .where('f.reaction', '=', 'done')
      .where('f.reacted_at', '>=', windowStart(now))
      .where('f.reacted_at', '<=', now)
      .groupBy('s.tip_kind')
      .orderBy('n', 'desc')
      .orderBy('s.tip_kind', 'asc')
      .limit(1)
      .executeTakeFirst();
    return row?.tip_kind ?? null;
  },
});

/** The features every profile carries, in the order they are served. */
export const initialFeatures: readonly AnyFeatureDefinition[] = [
  completionRate,
  dismissRate,
  meanDwell,
  preferredHour,
  tipVolume,
  favouriteTipKind,
];
