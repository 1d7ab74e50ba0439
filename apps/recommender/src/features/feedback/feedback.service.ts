import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Reaction, TipFeedbackSchema } from '@oo/contracts';
import { inTransaction, type Kysely } from '@oo/db';
import type { RecommenderDatabase, StoredReaction } from '../../db/database';
import type { EnqueueEvent } from '../../events/outbox';
import { RecommenderError } from '../../errors';
import { findUsersDecision } from '../decisions/decisions.repository';
import type { Clock } from '../decisions/recommend.service';
import { findFeedback, insertFirstFeedback } from './feedback.repository';

export const REACTIONS = ['done', 'snooze', 'dismiss'] as const satisfies readonly StoredReaction[];

const WIRE_REACTIONS: Record<StoredReaction, Reaction> = { done: Reaction.DONE, snooze: Reaction.SNOOZE, dismiss: Reaction.DISMISS };

export interface FeedbackDeps {
  db: Kysely<RecommenderDatabase>;
  clock: Clock;
  enqueue: EnqueueEvent;
}

export interface FeedbackResult {
  /** True the first time; false when the same reaction was already recorded (nothing new happened). */
  created: boolean;
  feedback: { decisionId: string; reaction: StoredReaction; reactedAt: string; dwellMs: number };
}

/**
 * Records a user's reaction to one of their tips and enqueues `signals.tip.feedback` in the same
 * transaction. The same reaction again is answered with what was stored; a different one is a
 * conflict; someone else's (or an unknown) decision is not found.
 *
 * @example
 * const { created, feedback } = await recordFeedback(deps, 'u1', decisionId, 'done');
 */
export async function recordFeedback(deps: FeedbackDeps, userId: string, decisionId: string, reaction: StoredReaction, traceparent?: string): Promise<FeedbackResult> {
  return inTransaction(deps.db, async (trx) => {
    const decision = await findUsersDecision(trx, decisionId, userId);
    if (!decision) throw new RecommenderError('RECOMMENDER_TIP_NOT_FOUND', `no tip ${decisionId} was served to you`);
    const reactedAt = deps.clock();
    const dwellMs = Math.max(0, reactedAt.getTime() - decision.servedAt.getTime());
    if (await insertFirstFeedback(trx, { decisionId, userId, reaction, reactedAt, dwellMs })) {
      const message = create(TipFeedbackSchema, {
        decisionId,
        userId,
        tipId: decision.tipId,
        reaction: WIRE_REACTIONS[reaction],
        reactedAt: timestampFromDate(reactedAt),
        dwellMs: BigInt(dwellMs),
      });
      await deps.enqueue(trx, 'signals.tip.feedback', message, { userId, traceparent, time: reactedAt });
      return { created: true, feedback: { decisionId, reaction, reactedAt: reactedAt.toISOString(), dwellMs } };
    }
    const stored = await findFeedback(trx, decisionId);
    if (!stored || stored.reaction !== reaction) {
      throw new RecommenderError('RECOMMENDER_REACTION_CONFLICT', `this tip already has the reaction "${stored?.reaction ?? 'unknown'}"`);
    }
    return { created: false, feedback: { decisionId, reaction, reactedAt: stored.reactedAt.toISOString(), dwellMs: stored.dwellMs } };
  });
}
