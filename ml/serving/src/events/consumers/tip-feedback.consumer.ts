import type { SubjectMessage } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import type { MlDatabase } from '../../db/database';
import { decisionFeedback } from '../../features/reward-join/decision-record';
import type { RewardJoin } from '../../features/reward-join/reward-join.service';

/** `signals.tip.feedback` → the feedback half of the reward join (settles at once if the decision is open). */
export function tipFeedbackHandler(join: RewardJoin) {
  return (trx: Transaction<MlDatabase>, message: SubjectMessage<'signals.tip.feedback'>): Promise<void> =>
    join.recordFeedback(trx, decisionFeedback(message));
}
