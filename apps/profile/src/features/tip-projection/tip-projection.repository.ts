import { fixedSql, type Executor } from '@oo/db';
import type { ProfileDatabase, StoredReaction, TipFeedbackTable, TipServedTable } from '../../db/database';

// Each projection is one statement: the user's profile row made sure of (so data-quality counts
// every user we have heard of), the event recorded once, and the other half of the decision read.

/** Records a served tip (a repeat of the same decision changes nothing) and reads the reaction already projected for it. */
export async function recordTipServed(db: Executor<ProfileDatabase>, row: TipServedTable): Promise<{ isNew: boolean; reaction: StoredReaction | null }> {
  const { rows } = await fixedSql<{ is_new: boolean; reaction: StoredReaction | null }>`
    with profile as (
      insert into profiles (user_id) values (${row.user_id}) on conflict (user_id) do nothing
    ), served as (
      insert into tip_served (decision_id, user_id, tip_id, tip_kind, served_at)
      values (${row.decision_id}, ${row.user_id}, ${row.tip_id}, ${row.tip_kind}, ${row.served_at})
      on conflict (decision_id) do nothing returning decision_id
    )
    select exists (select 1 from served) as is_new,
      (select reaction from tip_feedback where decision_id = ${row.decision_id}) as reaction`.execute(db);
  return { isNew: rows[0]?.is_new === true, reaction: rows[0]?.reaction ?? null };
}

/** Records the reaction to a tip (the first reaction to a decision wins) and reads when the decision was served, if that is projected. */
export async function recordTipFeedback(db: Executor<ProfileDatabase>, row: TipFeedbackTable): Promise<{ isNew: boolean; servedAt: Date | null }> {
  const { rows } = await fixedSql<{ is_new: boolean; served_at: Date | null }>`
    with profile as (
      insert into profiles (user_id) values (${row.user_id}) on conflict (user_id) do nothing
    ), feedback as (
      insert into tip_feedback (decision_id, user_id, tip_id, reaction, reacted_at, dwell_ms)
      values (${row.decision_id}, ${row.user_id}, ${row.tip_id}, ${row.reaction}, ${row.reacted_at}, ${row.dwell_ms})
      on conflict (decision_id) do nothing returning decision_id
    )
    select exists (select 1 from feedback) as is_new,
      (select served_at from tip_served where decision_id = ${row.decision_id} and user_id = ${row.user_id}) as served_at`.execute(db);
  return { isNew: rows[0]?.is_new === true, servedAt: rows[0]?.served_at ?? null };
}

/** Deletes projected events older than `before`; features only look back 30 days. */
export async function pruneTipProjections(db: Executor<ProfileDatabase>, before: Date): Promise<number> {
  const served = await db.deleteFrom('tip_served').where('served_at', '<', before).executeTakeFirst();
  const feedback = await db.deleteFrom('tip_feedback').where('reacted_at', '<', before).executeTakeFirst();
  return Number(served.numDeletedRows) + Number(feedback.numDeletedRows);
}
