import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionReceiptSchema, type SubjectMessage, type subjects } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { ProfileDatabase } from '../../db/database';
import { eraseProfileUser } from '../../features/erasure/user-erasure.repository';
import type { Clock } from '../../features/profile-features/profile-features.service';
import type { Enqueue } from '@oo/service';

/**
 * Handles `users.deletion.requested`: erases every row of the user in the profile schema and
 * enqueues the profile's `users.deletion.receipt` in the same transaction, so the receipt exists
 * only if the erasure committed. The erasure runs first: it also drops the user's pending outbox
 * rows, and the receipt must not be one of them.
 *
 * @example
 * const handle = userDeletionHandler({ clock: ctx.clock, enqueue: ctx.enqueue });
 * await handle(trx, request);
 */
export function userDeletionHandler(deps: { clock: Clock; enqueue: Enqueue<typeof subjects> }) {
  return async (trx: Transaction<ProfileDatabase>, request: SubjectMessage<'users.deletion.requested'>): Promise<void> => {
    if (!request.userId || !request.requestId) throw new PermanentEventError('deletion request lacks a user or a request id');
    await eraseProfileUser(trx, request.userId);
    const receipt = create(DeletionReceiptSchema, {
      requestId: request.requestId,
      service: 'profile',
      completedAt: timestampFromDate(deps.clock()),
    });
    // No user on it (and unsequenced): its outbox row must not outlive the erasure it reports with the user's id.
    await deps.enqueue(trx, 'users.deletion.receipt', receipt, { sequenced: false });
  };
}
