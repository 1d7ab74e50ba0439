import type { Transaction } from '@oo/db';
import { eraseUserEventState } from '@oo/events';
import type { RecommenderDatabase } from '../../db/database';

/** Deletes everything this service holds about a user: tasks (and tombstones), timezone, nudge preferences and slots, decisions and feedback. */
export async function eraseUser(trx: Transaction<RecommenderDatabase>, userId: string): Promise<void> {
  await trx.deleteFrom('tip_feedback').where('user_id', '=', userId).execute();
  await trx.deleteFrom('decisions').where('user_id', '=', userId).execute();
  await trx.deleteFrom('tasks').where('user_id', '=', userId).execute();
  await trx.deleteFrom('user_timezones').where('user_id', '=', userId).execute();
  await trx.deleteFrom('nudge_preferences').where('user_id', '=', userId).execute();
  await trx.deleteFrom('nudge_slots').where('user_id', '=', userId).execute();
  await eraseUserEventState(trx, userId);
}
