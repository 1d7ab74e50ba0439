import type { Transaction } from '@oo/db';
import { eraseUserEventState } from '@oo/events';
import type { ProfileDatabase } from '../../db/database';
import { lockUserFeatures } from '../profile-features/profile-features.repository';

// Every table of the profile schema that holds a user id. A new table with user data must be
// added here; test/user-deletion.int-spec.ts scans the whole schema and fails if one is missed.
const USER_TABLES = ['user_profile_features', 'tip_feedback', 'tip_served', 'consent_events', 'preferences', 'profiles'] as const;

/**
 * Deletes everything the profile holds about a user — features, tip projections, consent
 * history, preferences, the profile row — and the events library's state about them (outbox
 * rows, sequence counters, consumer cursors; the user is then recorded as erased). Takes the
 * user's feature lock first, so a recompute in flight cannot write values back after it.
 *
 * @example
 * await eraseProfileUser(trx, 'u1');
 */
export async function eraseProfileUser(trx: Transaction<ProfileDatabase>, userId: string): Promise<number> {
  await lockUserFeatures(trx, userId);
  let deleted = 0;
  for (const table of USER_TABLES) {
    const result = await trx.deleteFrom(table).where('user_id', '=', userId).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  await eraseUserEventState(trx, userId);
  return deleted;
}
