import type { Executor } from '@oo/db';
import type { RecommenderDatabase, StoredReaction } from '../../db/database';

export interface StoredFeedback {
  reaction: StoredReaction;
  reactedAt: Date;
  dwellMs: number;
}

/**
 * Records the first reaction to a decision; returns false when one is already stored. Two
 * concurrent first reactions cannot both win: the second insert waits on the first's key and
 * then does nothing.
 */
export async function insertFirstFeedback(
  db: Executor<RecommenderDatabase>,
  feedback: StoredFeedback & { decisionId: string; userId: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('tip_feedback')
    .values({
      decision_id: feedback.decisionId,
      user_id: feedback.userId,
      reaction: feedback.reaction,
      reacted_at: feedback.reactedAt,
      dwell_ms: feedback.dwellMs,
    })
    .onConflict((oc) => oc.column('decision_id').doNothing())
    .returning('decision_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The reaction stored for a decision, if any. */
export async function findFeedback(db: Executor<RecommenderDatabase>, decisionId: string): Promise<StoredFeedback | undefined> {
  const row = await db.selectFrom('tip_feedback').select(['reaction', 'reacted_at', 'dwell_ms']).where('decision_id', '=', decisionId).executeTakeFirst();
  return row && { reaction: row.reaction, reactedAt: row.reacted_at, dwellMs: Number(row.dwell_ms) };
}
