import type { SubjectMessage, subjects } from '@oo/contracts';
import type { Enqueue } from '@oo/service';
import type { Transaction } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { MlDatabase } from '../../db/database';
import type { Clock } from '../../features/reward-join/reward-join.service';
import { eraseUser } from '../../features/user-erasure/user-erasure.service';

/** `users.deletion.requested` → erase the user's decisions and model state, queue a receipt. */
export function userDeletionHandler(clock: Clock, enqueue: Enqueue<typeof subjects>) {
  return async (trx: Transaction<MlDatabase>, message: SubjectMessage<'users.deletion.requested'>): Promise<void> => {
    if (!message.userId) throw new PermanentEventError('deletion request without a user');
    await eraseUser(trx, enqueue, message.userId, message.requestId, clock());
  };
}
