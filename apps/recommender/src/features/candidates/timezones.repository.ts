import type { Executor } from '@oo/db';
import type { RecommenderDatabase } from '../../db/database';

/** The timezone every user has until profile tells us otherwise. */
export const DEFAULT_TIMEZONE = 'UTC';

/** Stores a user's timezone unless a newer preference change is already stored. */
export async function applyTimezone(db: Executor<RecommenderDatabase>, userId: string, timezone: string, updatedAt: Date): Promise<void> {
  await db
    .insertInto('user_timezones')
    .values({ user_id: userId, timezone, updated_at: updatedAt })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ timezone, updated_at: updatedAt })
        .whereRef('user_timezones.updated_at', '<=', 'excluded.updated_at'),
    )
    .execute();
}
