import type { Executor } from '@oo/db';
import type { ProfileDatabase, TipFeedbackTable, TipServedTable } from '../../db/database';

/** Records a served tip; a repeat of the same decision changes nothing. */
export async function recordTipServed(db: Executor<ProfileDatabase>, row: TipServedTable): Promise<void> {
  await db.insertInto('tip_served').values(row).onConflict((oc) => oc.column('decision_id').doNothing()).execute();
}

/** Records the reaction to a tip; the first reaction to a decision wins. */
export async function recordTipFeedback(db: Executor<ProfileDatabase>, row: TipFeedbackTable): Promise<void> {
  await db.insertInto('tip_feedback').values(row).onConflict((oc) => oc.column('decision_id').doNothing()).execute();
}

/** Makes sure the user has a profile row, so data-quality counts every user we have heard of. */
export async function ensureProfile(db: Executor<ProfileDatabase>, userId: string): Promise<void> {
  await db.insertInto('profiles').values({ user_id: userId }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
}

/** Deletes projected events older than `before`; features only look back 30 days. */
export async function pruneTipProjections(db: Executor<ProfileDatabase>, before: Date): Promise<number> {
  const served = await db.deleteFrom('tip_served').where('served_at', '<', before).executeTakeFirst();
  const feedback = await db.deleteFrom('tip_feedback').where('reacted_at', '<', before).executeTakeFirst();
  return Number(served.numDeletedRows) + Number(feedback.numDeletedRows);
}
