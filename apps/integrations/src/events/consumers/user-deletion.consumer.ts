import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionReceiptSchema, type SubjectMessage, type subjects } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { eraseUserEventState, PermanentEventError } from '@oo/events';
import type { Enqueue } from '@oo/service';
import type { IntegrationsDatabase } from '../../db/database';
import type { TokenVault } from '../../features/vault/token-vault';

/**
 * Handles `users.deletion.requested`: destroys the user's data key first (crypto-shredding:
 * every token sealed for them, in this database or any copy of it, is unreadable from this
 * commit on), then deletes their rows, then enqueues the `users.deletion.receipt` in the same
 * transaction, so the receipt exists only if the erasure committed. Tokens are not revoked at
 * the providers here: that needs them readable, and the user can revoke oO's access there.
 */
export async function handleUserDeletion(
  trx: Transaction<IntegrationsDatabase>,
  request: SubjectMessage<'users.deletion.requested'>,
  deps: { clock: () => Date; enqueue: Enqueue<typeof subjects>; vault: TokenVault },
): Promise<void> {
  const { userId, requestId } = request;
  if (!userId || !requestId) throw new PermanentEventError('deletion request lacks a user or a request id');
  await deps.vault.destroyDataKey(trx, userId);
  for (const table of ['oauth_attempts', 'connection_tokens', 'busy_times', 'tasks', 'connections'] as const) {
    await trx.deleteFrom(table).where('user_id', '=', userId).execute();
  }
  // Before the receipt: this also drops the user's pending outbox rows, and the receipt must not be one of them.
  await eraseUserEventState(trx, userId);
  const completedAt = deps.clock();
  const receipt = create(DeletionReceiptSchema, { requestId, service: 'integrations', completedAt: timestampFromDate(completedAt) });
  // No user on it: its outbox row must not outlive the erasure it reports with the user's id.
  await deps.enqueue(trx, 'users.deletion.receipt', receipt, { time: completedAt, sequenced: false });
}
