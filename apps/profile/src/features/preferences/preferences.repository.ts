import { sql, type Executor } from '@oo/db';
import type { ProfileDatabase } from '../../db/database';

export interface StoredPreferences {
  timezone: string;
  locale: string | null;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  channels: string[];
  tipCadence: string;
  updatedAt: Date | null;
}

/** The user's timezone, locale and delivery preferences; null parts when never set. */
export async function findPreferences(db: Executor<ProfileDatabase>, userId: string): Promise<StoredPreferences | null> {
  const row = await db
    .selectFrom('profiles as p')
    .leftJoin('preferences as q', 'q.user_id', 'p.user_id')
    .select(['p.timezone', 'p.locale', 'q.quiet_hours_start', 'q.quiet_hours_end', 'q.channels', 'q.tip_cadence', 'q.updated_at'])
    .where('p.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    timezone: row.timezone,
    locale: row.locale,
    quietHoursStart: row.quiet_hours_start,
    quietHoursEnd: row.quiet_hours_end,
    channels: row.channels ?? [],
    tipCadence: row.tip_cadence ?? '',
    updatedAt: row.updated_at,
  };
}

/** Writes the profile's timezone and locale and the delivery preferences. */
export async function savePreferences(db: Executor<ProfileDatabase>, userId: string, p: StoredPreferences & { updatedAt: Date }): Promise<void> {
  await db
    .insertInto('profiles')
    .values({ user_id: userId, timezone: p.timezone, locale: p.locale })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ timezone: p.timezone, locale: p.locale, updated_at: p.updatedAt }))
    .execute();
  const values = {
    quiet_hours_start: p.quietHoursStart,
    quiet_hours_end: p.quietHoursEnd,
    channels: p.channels,
    tip_cadence: p.tipCadence,
    updated_at: p.updatedAt,
  };
  await db
    .insertInto('preferences')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

/** Serialises read-modify-write of one user's preferences (a merge patch) until the transaction ends; works before any row exists. */
export async function lockUserPreferences(db: Executor<ProfileDatabase>, userId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`profile-preferences:${userId}`}, 0))`.execute(db);
}
