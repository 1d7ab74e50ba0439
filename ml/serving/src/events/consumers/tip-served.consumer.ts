import type { SubjectMessage } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import type { MlDatabase } from '../../db/database';
import { servedDecision } from '../../features/reward-join/decision-record';
import type { RewardJoin } from '../../features/reward-join/reward-join.service';

/** `signals.tip.served` → the served half of the reward join (settles at once if feedback waited). */
export function tipServedHandler(join: RewardJoin) {
  return (trx: Transaction<MlDatabase>, message: SubjectMessage<'signals.tip.served'>): Promise<void> =>
    join.recordServed(trx, servedDecision(message));
}
