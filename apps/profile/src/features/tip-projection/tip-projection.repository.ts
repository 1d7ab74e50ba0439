import type { Executor } from '@oo/db';
import type { ProfileDatabase, StoredReaction, TipFeedbackTable, TipServedTable } from '../../db/database';

/** Records a served tip; a repeat of the same decision changes nothing. Returns whether it was new. */
export async function recordTipServed(db: Executor<ProfileDatabase>, row: TipServedTable): Promise<boolean> {
  const inserted = await db.insertInto('tip_served').values(row).onConflict((oc) => oc.column('decision_id').doNothing()).returning('decision_id').executeTakeFirst();
  return inserted !== undefined;
}

/** Records the reaction to a tip; the first reaction to a decision wins. Returns whether it was new. */
export async function recordTipFeedback(db: Executor<ProfileDatabase>, row: TipFeedbackTable): Promise<boolean> {
  const inserted = await db.insertInto('tip_feedback').values(row).onConflict((oc) => oc.column('decision_id').doNothing()).returning('decision_id').executeTakeFirst();
  return inserted !== undefined;
}

/** The reaction already projected for a decision, if any. */
export async function findReaction(db: Executor<ProfileDatabase>, decisionId: string): Promise<StoredReaction | null> {
  const row = await db.selectFrom('tip_feedback').select('reaction').where('decision_id', '=', decisionId).executeTakeFirst();
  return row?.reaction ?? null;
}

/** When a decision was served to the user, if that event has been projected. */
export async function findServedAt(db: Executor<ProfileDatabase>, decisionId: string, userId: string): Promise<Date | null> {
  const row = await db.selectFrom('tip_served').select('served_at').where('decision_id', '=', decisionId).where('user_id', '=', userId).executeTakeFirst();
  return row?.served_at ?? null;
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
