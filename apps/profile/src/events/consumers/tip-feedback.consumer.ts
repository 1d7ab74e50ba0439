import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Reaction, type SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import type { ProfileDatabase, StoredReaction } from '../../db/database';
import type { ProjectedTip } from '../../features/tip-projection/projected-tip';
import { recordTipFeedback } from '../../features/tip-projection/tip-projection.repository';
import { UnprojectableEventError } from './unprojectable-event.error';

const REACTIONS: Partial<Record<Reaction, StoredReaction>> = {
  [Reaction.DONE]: 'done',
  [Reaction.SNOOZE]: 'snooze',
  [Reaction.DISMISS]: 'dismiss',
};
// Longer dwell times carry no extra signal; capping keeps them in an integer column.
const MAX_DWELL_MS = 2_147_483_647;

/**
 * Projects `signals.tip.feedback` into the profile's own table under the user's feature lock;
 * returns the user and, if it was the decision's first reaction, the change.
 */
export async function projectTipFeedback(trx: Executor<ProfileDatabase>, feedback: SubjectMessage<'signals.tip.feedback'>): Promise<ProjectedTip> {
  const reaction = REACTIONS[feedback.reaction];
  if (!reaction || !feedback.reactedAt || !feedback.userId) {
    throw new UnprojectableEventError(`feedback ${feedback.decisionId} lacks a reaction, a time or a user`);
  }
  const { isNew, servedAt } = await recordTipFeedback(trx, {
    decision_id: feedback.decisionId,
    user_id: feedback.userId,
    tip_id: feedback.tipId,
    reaction,
    reacted_at: timestampDate(feedback.reactedAt),
    dwell_ms: Math.min(MAX_DWELL_MS, Math.max(0, Number(feedback.dwellMs))),
  });
  if (!isNew) return { userId: feedback.userId, change: null };
  return { userId: feedback.userId, change: { before: { servedAt, reaction: null }, after: { servedAt, reaction } } };
}
