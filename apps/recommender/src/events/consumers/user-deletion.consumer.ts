import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionReceiptSchema, type SubjectMessage } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { RecommenderDatabase } from '../../db/database';
import { eraseUser } from '../../features/erasure/user-erasure.repository';
import type { Clock } from '../../features/decisions/recommend.service';
import type { EnqueueEvent } from '../outbox';

/**
 * Handles `users.deletion.requested`: erases the user's data and enqueues this service's
 * `users.deletion.receipt` in the same transaction, so the receipt exists only if the erasure does.
 */
export function userDeletionHandler(deps: { clock: Clock; enqueue: EnqueueEvent }) {
  return async (trx: Transaction<RecommenderDatabase>, request: SubjectMessage<'users.deletion.requested'>): Promise<void> => {
    if (!request.userId || !request.requestId) throw new PermanentEventError('deletion request lacks a user or a request id');
    await eraseUser(trx, request.userId);
    const completedAt = deps.clock();
    const receipt = create(DeletionReceiptSchema, {
      requestId: request.requestId,
      service: 'recommender',
      completedAt: timestampFromDate(completedAt),
    });
    // No user on it: its outbox row must not outlive the erasure it reports with the user's id.
    await deps.enqueue(trx, 'users.deletion.receipt', receipt, { time: completedAt, sequenced: false });
  };
}
