import { create } from '@bufbuild/protobuf';
import { ExportPartSchema, type SubjectMessage, type subjects } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { PermanentEventError, userExportChunks } from '@oo/events';
import type { Enqueue } from '@oo/service';
import type { NotifierDatabase } from '../../db/database';
import { NOTIFIER_EXPORT } from '../../features/export/notifier-export';

/**
 * Handles `exports.requested`: reads the user's rows in the notifier schema (only the columns
 * NOTIFIER_EXPORT names) and queues them for auth as `exports.part` messages, chunked, in the
 * consumer's transaction, so a redelivered request sends nothing twice.
 */
export async function handleExportRequested(
  trx: Transaction<NotifierDatabase>,
  request: SubjectMessage<'exports.requested'>,
  deps: { enqueue: Enqueue<typeof subjects> },
): Promise<void> {
  const { userId, requestId } = request;
  if (!userId || !requestId) throw new PermanentEventError('export request lacks a user or a request id');
  for (const chunk of await userExportChunks(trx, NOTIFIER_EXPORT, userId)) {
    const part = create(ExportPartSchema, { requestId, service: 'notifier', ...chunk });
    // Unsequenced (auth puts the chunks in order itself); the user id lets the row be erased with the user.
    await deps.enqueue(trx, 'exports.part', part, { userId, sequenced: false });
  }
}
