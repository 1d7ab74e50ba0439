import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionReceiptSchema, type SubjectMessage, type subjects } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { eraseUserEventState, PermanentEventError } from '@oo/events';
import type { Enqueue } from '@oo/service';
import type { IntegrationsDatabase } from '../../db/database';
import { deleteItemsOf } from '../../features/items/items.repository';

/**
 * Handles `users.deletion.requested`: deletes every row of the user in integrations's schema and
 * enqueues its `users.deletion.receipt` in the same transaction, so the receipt exists only if
 * the erasure committed. A table added later that holds user data must be erased here too.
 *
 * @example
 * handler: (trx, event, ctx) => handleUserDeletion(trx, event.message, ctx)
 */
export async function handleUserDeletion(
  trx: Transaction<IntegrationsDatabase>,
  request: SubjectMessage<'users.deletion.requested'>,
  deps: { clock: () => Date; enqueue: Enqueue<typeof subjects> },
): Promise<void> {
  if (!request.userId || !request.requestId) throw new PermanentEventError('deletion request lacks a user or a request id');
  await deleteItemsOf(trx, request.userId);
  // Before the receipt: this also drops the user's pending outbox rows, and the receipt must not be one of them.
  await eraseUserEventState(trx, request.userId);
  const completedAt = deps.clock();
  const receipt = create(DeletionReceiptSchema, {
    userId: request.userId,
    requestId: request.requestId,
    service: 'integrations',
    completedAt: timestampFromDate(completedAt),
  });
  // Unsequenced: a per-user counter row would outlive the erasure it reports.
  await deps.enqueue(trx, 'users.deletion.receipt', receipt, { userId: request.userId, time: completedAt, sequenced: false });
}
