import { inTransaction, type Transaction } from '@oo/db';
import type { AuthDatabase } from '../../db/database';
import { AuthError } from '../../errors';
import { enqueueRevoked, type RevocationReason } from '../../events/publishers';
import type { AuthContext } from '../../service';
import { revokeFamiliesOfUser } from '../native-apps/native-apps.repository';
import { findUser } from '../users/users.repository';
import { revokeSessionsOfUser } from './sessions.repository';

type SignOutDeps = Pick<AuthContext, 'clock' | 'enqueue'>;

/**
 * Ends every web session and refresh family of the user and queues one `users.revoked` for all
 * their tokens, in the caller's transaction.
 *
 * @example
 * await endAllSessions(trx, ctx, userId, 'account_deleted');
 */
export async function endAllSessions(trx: Transaction<AuthDatabase>, deps: SignOutDeps, userId: string, reason: RevocationReason): Promise<void> {
  const now = deps.clock();
  await revokeSessionsOfUser(trx, userId, now, reason);
  await revokeFamiliesOfUser(trx, userId, now, reason);
  await enqueueRevoked(trx, deps, { userId, reason });
}

/**
 * Sign out everywhere: `POST /internal/v1/users/{userId}/revoke`. AUTH_USER_NOT_FOUND for an
 * unknown user.
 *
 * @example
 * await signOutEverywhere(ctx, userId);
 */
export async function signOutEverywhere(deps: SignOutDeps & Pick<AuthContext, 'db'>, userId: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    if (!(await findUser(trx, userId))) throw new AuthError('AUTH_USER_NOT_FOUND', `no user ${userId}`);
    await endAllSessions(trx, deps, userId, 'sign_out_everywhere');
  });
}
