import { fixedSql, type Executor } from '@oo/db';
import type { ProfileDatabase, StoredReaction, TipFeedbackTable, TipServedTable } from '../../db/database';

// Each projection is one call (`record_tip_served` / `record_tip_feedback`, see their migration):
// the user's feature lock taken, the user's profile row made sure of (so data-quality counts every
// user we have heard of), the event recorded once, and the other half of the decision read after
// the lock — so a served event and its reaction projected at once see each other in one of the two.

/** Records a served tip (a repeat of the same decision changes nothing) under the user's feature lock, and reads the reaction already projected for it. */
export async function recordTipServed(db: Executor<ProfileDatabase>, row: TipServedTable): Promise<{ isNew: boolean; reaction: StoredReaction | null }> {
  const { rows } = await fixedSql<{ o_is_new: boolean; o_reaction: StoredReaction | null }>`
    select * from record_tip_served(${row.decision_id}, ${row.user_id}, ${row.tip_id}, ${row.tip_kind}, ${row.served_at})`.execute(db);
  return { isNew: rows[0]?.o_is_new === true, reaction: rows[0]?.o_reaction ?? null };
}

/** Records the reaction to a tip (the first reaction to a decision wins) under the user's feature lock, and reads when the decision was served, if that is projected. */
export async function recordTipFeedback(db: Executor<ProfileDatabase>, row: TipFeedbackTable): Promise<{ isNew: boolean; servedAt: Date | null }> {
  const { rows } = await fixedSql<{ o_is_new: boolean; o_served_at: Date | null }>`
    select * from record_tip_feedback(${row.decision_id}, ${row.user_id}, ${row.tip_id}, ${row.reaction}, ${row.reacted_at}, ${row.dwell_ms})`.execute(db);
  return { isNew: rows[0]?.o_is_new === true, servedAt: rows[0]?.o_served_at ?? null };
}

/** Deletes projected events older than `before`; features only look back 30 days. */
export async function pruneTipProjections(db: Executor<ProfileDatabase>, before: Date): Promise<number> {
  const served = await db.deleteFrom('tip_served').where('served_at', '<', before).executeTakeFirst();
  const feedback = await db.deleteFrom('tip_feedback').where('reacted_at', '<', before).executeTakeFirst();
  return Number(served.numDeletedRows) + Number(feedback.numDeletedRows);
}
