import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { DeletionReceipt } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import type { AuthDatabase } from '../../db/database';

/**
 * Records one service's receipt for a deletion request; a second receipt from the same service
 * for the same request changes nothing (the saga that completes a deletion reads these rows).
 *
 * @example
 * { durable: 'auth__deletion_receipt', subject: 'users.deletion.receipt', handler: (trx, e) => recordDeletionReceipt(trx, e.message) }
 */
export async function recordDeletionReceipt(trx: Transaction<AuthDatabase>, receipt: DeletionReceipt): Promise<void> {
  await trx
    .insertInto('deletion_receipts')
    .values({
      request_id: receipt.requestId,
      service: receipt.service,
      user_id: receipt.userId,
      completed_at: receipt.completedAt ? timestampDate(receipt.completedAt) : new Date(),
    })
    .onConflict((oc) => oc.columns(['request_id', 'service']).doNothing())
    .execute();
}
