import { createHash, randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionRequestedSchema, type DeletionReceipt } from '@oo/contracts';
import { inTransaction, type Transaction } from '@oo/db';
import { eraseUserEventState } from '@oo/events';
import type { Logger } from '@oo/logger';
import type { AuthDatabase } from '../../db/database';
import { AuthError } from '../../errors';
import type { AuthContext } from '../../service';
import { endAllSessions } from '../sessions/sign-out-everywhere';
import { findUser, markDeletionRequested } from '../users/users.repository';
import { eraseExportsOf } from '../export/export.repository';
import { insertDeletionRequest, insertReceipt, lockPendingRequest, markCompleted, openRequestOf, receivedFrom } from './deletion.repository';

const DAY_MS = 86_400_000;

/** SHA-256 of `<request id>:<user id>`: names the user to no one who does not know both already. */
export function subjectDigest(requestId: string, userId: string): string {
  return createHash('sha256').update(`${requestId}:${userId}`, 'utf8').digest('hex');
}

/** What a deletion needs beyond the kit: who must answer, and by when. */
export interface DeletionDeps extends Pick<AuthContext, 'db' | 'clock' | 'enqueue'> {
  holders: readonly string[];
  deadlineDays: number;
}

/**
 * A user asks for their account to be erased: every session and refresh family ends at once,
 * the user is marked (no further sign-in), their data exports are deleted, the request is tracked with the services that must
 * answer and its deadline, and `users.deletion.requested` starts the saga in which every service
 * erases the user and sends a receipt. Asking again while one is open returns that one.
 *
 * @example
 * const { requestId } = await requestDeletion(deps, userId);
 */
export async function requestDeletion(deps: DeletionDeps, userId: string): Promise<{ requestId: string; dueAt: Date }> {
  return inTransaction(deps.db, async (trx) => {
    if (!(await findUser(trx, userId))) throw new AuthError('AUTH_USER_NOT_FOUND', `no user ${userId}`);
    const open = await openRequestOf(trx, userId);
    if (open) return open;
    const now = deps.clock();
    const dueAt = new Date(now.getTime() + deps.deadlineDays * DAY_MS);
    const requestId = randomUUID();
    await endAllSessions(trx, deps, userId, 'account_deleted');
    await markDeletionRequested(trx, userId, now);
    // Exports hold a copy of everything: they go now, not when the last receipt is in.
    await eraseExportsOf(trx, userId);
    await insertDeletionRequest(trx, { request_id: requestId, user_id: userId, subject_digest: subjectDigest(requestId, userId), holders: [...deps.holders], requested_at: now, due_at: dueAt, completed_at: null });
    const message = create(DeletionRequestedSchema, { userId, requestId, requestedAt: timestampFromDate(now) });
    await deps.enqueue(trx, 'users.deletion.requested', message, { userId, time: now });
    return { requestId, dueAt };
  });
}

/**
 * Handles one `users.deletion.receipt` in the consumer's transaction: stores it, and when it is
 * the last one the request waits for, erases the identity (the user row; sessions, refresh
 * families, codes and linked identities go with it) and what auth's event tables hold about the
 * user, keeping only the request with its digest and receipts — all in that same transaction.
 */
export function deletionReceiptHandler(deps: { clock: () => Date; log: Logger }) {
  return async (trx: Transaction<AuthDatabase>, receipt: DeletionReceipt, receivedAt: Date | undefined): Promise<void> => {
    if (!receipt.requestId || !receipt.service) return;
    const completedAt = receipt.completedAt ? timestampDate(receipt.completedAt) : (receivedAt ?? deps.clock());
    await insertReceipt(trx, receipt.requestId, receipt.service, completedAt);
    const request = await lockPendingRequest(trx, receipt.requestId);
    if (!request?.user_id) return;
    const answered = await receivedFrom(trx, request.request_id);
    if (!request.holders.every((service) => answered.has(service))) return;
    await trx.deleteFrom('users').where('user_id', '=', request.user_id).execute();
    await eraseUserEventState(trx, request.user_id);
    await markCompleted(trx, request.request_id, deps.clock());
    deps.log.info({ requestId: request.request_id, services: request.holders }, 'account deletion completed: every service answered, the identity is erased');
  };
}
