import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionReceiptSchema, type SubjectMessage, type subjects } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { eraseUserEventState, PermanentEventError } from '@oo/events';
import type { Enqueue } from '@oo/service';
import type { NotifierDatabase } from '../../db/database';

/**
 * Handles `users.deletion.requested`: deletes the user's contact, projections, push
 * subscriptions, opt-outs and delivery log, then enqueues the receipt in the same transaction.
 */
export async function handleUserDeletion(
  trx: Transaction<NotifierDatabase>,
  request: SubjectMessage<'users.deletion.requested'>,
  deps: { clock: () => Date; enqueue: Enqueue<typeof subjects> },
): Promise<void> {
  const { userId, requestId } = request;
  if (!userId || !requestId) throw new PermanentEventError('deletion request lacks a user or a request id');
  for (const table of ['deliveries', 'push_subscriptions', 'opt_outs', 'consents', 'preferences', 'contacts'] as const) {
    await trx.deleteFrom(table).where('user_id', '=', userId).execute();
  }
  await eraseUserEventState(trx, userId);
  const completedAt = deps.clock();
  const receipt = create(DeletionReceiptSchema, { requestId, service: 'notifier', completedAt: timestampFromDate(completedAt) });
  // No user on it: its outbox row must not outlive the erasure it reports with the user's id.
  await deps.enqueue(trx, 'users.deletion.receipt', receipt, { time: completedAt, sequenced: false });
}
