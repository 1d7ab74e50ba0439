import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionRequestedSchema } from '@oo/contracts';
import { inTransaction } from '@oo/db';
import { AuthError } from '../../errors';
import type { AuthContext } from '../../service';
import { endAllSessions } from '../sessions/sign-out-everywhere';
import { findUser, markDeletionRequested } from '../users/users.repository';

/**
 * A user asks for their account to be erased: every session and refresh family ends at once,
 * the user is marked (no further sign-in), and `users.deletion.requested` starts the saga in
 * which every service erases the user and sends a receipt. Asking again starts a new request.
 *
 * @example
 * const { requestId } = await requestDeletion(ctx, userId);
 */
export async function requestDeletion(deps: Pick<AuthContext, 'db' | 'clock' | 'enqueue'>, userId: string): Promise<{ requestId: string }> {
  const requestId = randomUUID();
  await inTransaction(deps.db, async (trx) => {
    if (!(await findUser(trx, userId))) throw new AuthError('AUTH_USER_NOT_FOUND', `no user ${userId}`);
    const now = deps.clock();
    await endAllSessions(trx, deps, userId, 'account_deleted');
    await markDeletionRequested(trx, userId, now);
    const message = create(DeletionRequestedSchema, { userId, requestId, requestedAt: timestampFromDate(now) });
    await deps.enqueue(trx, 'users.deletion.requested', message, { userId, time: now });
  });
  return { requestId };
}
