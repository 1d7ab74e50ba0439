import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { UserRevokedSchema } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import type { AuthDatabase } from '../db/database';
import type { AuthContext } from '../service';

/** Why tokens were revoked (UserRevoked.reason). */
export type RevocationReason = 'sign_out' | 'sign_out_everywhere' | 'refresh_token_reuse' | 'authorization_code_reuse' | 'account_deleted';

/**
 * Queues `users.revoked` in the caller's transaction: every token of the user issued before
 * now, or only those of one session (`sid`: a web session id, or a native app's refresh family
 * id, which is the `sid` of that family's access tokens).
 *
 * @example
 * await enqueueRevoked(trx, ctx, { userId, sessionId, reason: 'sign_out' });
 */
export async function enqueueRevoked(
  trx: Transaction<AuthDatabase>,
  deps: Pick<AuthContext, 'enqueue' | 'clock'>,
  revocation: { userId: string; sessionId?: string; reason: RevocationReason },
): Promise<void> {
  const now = deps.clock();
  const message = create(UserRevokedSchema, {
    userId: revocation.userId,
    revokedBefore: timestampFromDate(now),
    sessionId: revocation.sessionId ?? '',
    reason: revocation.reason,
  });
  await deps.enqueue(trx, 'users.revoked', message, { userId: revocation.userId, time: now });
}
