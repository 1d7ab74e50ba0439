import { sql } from '@oo/db';
import type { StoredReaction } from '../../db/database';
import {
  defineCountedFeature,
  defineFeature,
  type AnyFeatureDefinition,
  type CachedWindow,
  type FeatureCounts,
  type TipChange,
  type TipChangeEffect,
  type TipFact,
} from './feature-definition';

const WINDOW_DAYS = 30;
const HOUR = 3600;
const FEEDBACK = 'signals.tip.feedback';
const SERVED = 'signals.tip.served';
// Published by this service itself when a user changes timezone; handled in the same transaction.
const PREFERENCES = 'profile.preferences.updated';

const windowStart = (now: Date): Date => new Date(now.getTime() - WINDOW_DAYS * 86_400_000);

type Db = Parameters<AnyFeatureDefinition['compute']>[1];

// Counts the tips served in the window (denominator) and those whose reaction matches (numerator).
function servedTipCounts(matches: (reaction: StoredReaction | null) => boolean) {
  const counts = async (userId: string, db: Db, now: Date): Promise<FeatureCounts> => {
    const rows = await db
      .selectFrom('tip_served as s')
      .leftJoin('tip_feedback as f', 'f.decision_id', 's.decision_id')
      .select(['f.reaction', sql<number>`count(*)::int`.as('n')])
      .where('s.user_id', '=', userId)
      .where('s.served_at', '>=', windowStart(now))
      .where('s.served_at', '<=', now)
      .groupBy('f.reaction')
      .execute();
    const sum = (list: typeof rows) => list.reduce((total, r) => total + r.n, 0);
    return { numerator: sum(rows.filter((r) => matches(r.reaction))), denominator: sum(rows) };
  };
  // A cached row counted the tips served in [computedAt - window, computedAt]; a newly projected
  // decision adds its share if it falls after that start (later ones: up to now).
  const share = (fact: TipFact, { computedAt, now }: CachedWindow): FeatureCounts =>
    fact.servedAt && fact.servedAt >= windowStart(computedAt) && fact.servedAt <= now
      ? { numerator: matches(fact.reaction) ? 1 : 0, denominator: 1 }
      : { numerator: 0, denominator: 0 };
  const onTipChange = (change: TipChange, cached: CachedWindow): TipChangeEffect => {
    const before = share(change.before, cached);
    const after = share(change.after, cached);
    const add = { numerator: after.numerator - before.numerator, denominator: after.denominator - before.denominator };
    return add.numerator === 0 && add.denominator === 0 ? 'none' : { add };
  };
  return { counts, onTipChange };
}

const rate = ({ numerator, denominator }: FeatureCounts): number | null => (denominator === 0 ? null : numerator / denominator);

// Both subjects change the inputs; they are folded in place, so a decision never sends the next read cold.
function reactionRate(reaction: StoredReaction) {
  const { counts, onTipChange } = servedTipCounts((r) => r === reaction);
  return { maintainedBy: [SERVED, FEEDBACK], onTipChange, counted: { counts, value: rate } };
}

export const completionRate = defineCountedFeature({
  name: 'completion_rate_30d',
  ttlSec: 6 * HOUR,
  description: 'Share of tips served in the last 30 days that the user marked done.',
  invalidatedBy: [],
  ...reactionRate('done'),
  fallback: 0,
  revision: 1,
});

export const dismissRate = defineCountedFeature({
  name: 'dismiss_rate_30d',
  ttlSec: 6 * HOUR,
  description: 'Share of tips served in the last 30 days that the user dismissed.',
  invalidatedBy: [],
  ...reactionRate('dismiss'),
  fallback: 0,
  revision: 1,
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

// Reads tip_served alone (the shared counter joins the reactions, which volume does not need).
async function countServed(userId: string, db: Db, now: Date): Promise<FeatureCounts> {
  const row = await db
    .selectFrom('tip_served')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('served_at', '>=', windowStart(now))
    .where('served_at', '<=', now)
    .executeTakeFirstOrThrow();
  return { numerator: row.n, denominator: row.n };
}

export const tipVolume = defineCountedFeature({
  name: 'tip_volume_30d',
  ttlSec: 1 * HOUR,
  description: 'Number of tips served to the user in the last 30 days.',
  invalidatedBy: [],
  maintainedBy: [SERVED],
  onTipChange: servedTipCounts(() => true).onTipChange,
  counted: { counts: countServed, value: ({ denominator }) => (denominator === 0 ? null : denominator) },
  fallback: 0,
  revision: 1,
});

export const favouriteTipKind = defineFeature({
  name: 'favourite_tip_kind_30d',
  dtype: 'categorical',
  ttlSec: 6 * HOUR,
  description: 'The tip kind the user marked done most often in the last 30 days (ties: alphabetical); "none" without any.',
  invalidatedBy: [FEEDBACK],
  // A served event matters only when its done reaction was projected first (the two subjects have
  // separate consumers); then the row is recomputed, otherwise it stays warm.
  maintainedBy: [SERVED],
  onTipChange: (change) => (change.before.servedAt === null && change.after.reaction === 'done' ? 'recompute' : 'none'),
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
