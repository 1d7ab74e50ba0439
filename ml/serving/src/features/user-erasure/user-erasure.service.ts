import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionReceiptSchema, type subjects } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { eraseUserEventState } from '@oo/events';
import type { Enqueue } from '@oo/service';
import { forgetKey } from '@oo/model-state';
import type { MlDatabase } from '../../db/database';
import { appendObservations } from '../model-state/model-state.repository';

/**
 * Erases a user in one transaction: their open and settled decisions go, their past observations
 * lose the user id (the global statistics keep what was learned, as the bandit cannot subtract
 * it), their part of every checkpoint goes, a `forget` entry in the log (naming them by digest)
 * makes every instance drop the user's personal part at the same version, and a receipt is
 * queued for auth.
 *
 * @example
 * await eraseUser(trx, ctx.enqueue, 'u1', 'req-7', new Date());
 */
export async function eraseUser(trx: Transaction<MlDatabase>, enqueue: Enqueue<typeof subjects>, userId: string, requestId: string, now: Date): Promise<void> {
  await trx.deleteFrom('decisions').where('user_id', '=', userId).execute();
  await trx.updateTable('learned_observations').set({ user_id: null }).where('user_id', '=', userId).where('kind', '=', 'reward').execute();
  // Older checkpoints keep each user's part in a row of its own: the user's go now, not at the next checkpoint.
  await trx.deleteFrom('model_snapshot_users').where('user_id', '=', userId).execute();
  await eraseUserEventState(trx, userId);
  const receipt = create(DeletionReceiptSchema, { requestId, service: 'ml-serving', completedAt: timestampFromDate(now) });
  // No user on it: its outbox row must not outlive the erasure it reports with the user's id.
  await enqueue(trx, 'users.deletion.receipt', receipt, { sequenced: false });
  // Last: the counter's row lock is held until commit.
  await appendObservations(trx, [{ kind: 'forget', user_id: forgetKey(userId) }], now);
}
