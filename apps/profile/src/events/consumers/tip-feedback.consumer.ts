import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Reaction, type SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import type { ProfileDatabase, StoredReaction } from '../../db/database';
import { ensureProfile, recordTipFeedback } from '../../features/tip-projection/tip-projection.repository';
import { UnprojectableEventError } from './unprojectable-event.error';

const REACTIONS: Partial<Record<Reaction, StoredReaction>> = {
  [Reaction.DONE]: 'done',
  [Reaction.SNOOZE]: 'snooze',
  [Reaction.DISMISS]: 'dismiss',
};
// Longer dwell times carry no extra signal; capping keeps them in an integer column.
const MAX_DWELL_MS = 2_147_483_647;

/** Projects `signals.tip.feedback` into the profile's own table; returns the user it concerns. */
export async function projectTipFeedback(trx: Executor<ProfileDatabase>, feedback: SubjectMessage<'signals.tip.feedback'>): Promise<string> {
  const reaction = REACTIONS[feedback.reaction];
  if (!reaction || !feedback.reactedAt || !feedback.userId) {
    throw new UnprojectableEventError(`feedback ${feedback.decisionId} lacks a reaction, a time or a user`);
  }
  await ensureProfile(trx, feedback.userId);
  await recordTipFeedback(trx, {
    decision_id: feedback.decisionId,
    user_id: feedback.userId,
    tip_id: feedback.tipId,
    reaction,
    reacted_at: timestampDate(feedback.reactedAt),
    dwell_ms: Math.min(MAX_DWELL_MS, Math.max(0, Number(feedback.dwellMs))),
  });
  return feedback.userId;
}
