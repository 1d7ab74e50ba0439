import { create } from '@bufbuild/protobuf';
import { PermanentEventError, userExportChunks, type EventCodec, type ExportTable, type MessageOf, type SubjectMap, type SubjectOf } from '@oo/events';
import type { Transaction } from '@oo/db';
import type { Enqueue } from './service-descriptor';

export const EXPORT_PART_SUBJECT = 'exports.part';

/** The fields of oo.exports.v1.ExportRequested the kit reads (the platform cannot import the contracts). */
interface ExportRequestShape {
  readonly userId: string;
  readonly requestId: string;
}

/** What of the service's context an answer needs. */
export interface ExportAnswerKit<M extends SubjectMap> {
  readonly name: string;
  readonly events: EventCodec<M>;
  readonly enqueue: Enqueue<M>;
}

/**
 * Handles `exports.requested` for any service: reads the user's rows of `tables` (only the columns
 * they name) and queues them for auth as `exports.part` messages, chunked, in the consumer's
 * transaction, so a redelivered request sends nothing twice. Every service holding user data
 * declares the same row; only its tables differ.
 *
 * @example
 * { durable: 'profile__export_requested', subject: 'exports.requested', handler: (trx, event, ctx) => answerExportRequest(trx, event.message, ctx, PROFILE_EXPORT) }
 */
export async function answerExportRequest<M extends SubjectMap, DB>(
  trx: Transaction<DB>,
  request: ExportRequestShape,
  kit: ExportAnswerKit<M>,
  tables: readonly ExportTable[],
): Promise<void> {
  const { userId, requestId } = request;
  if (!userId || !requestId) throw new PermanentEventError('export request lacks a user or a request id');
  const schema = kit.events.subjects[EXPORT_PART_SUBJECT];
  // A build whose subject map lacks the part cannot answer; the request goes to the dead letters with why.
  if (!schema) throw new PermanentEventError(`${kit.name}: the subject map has no ${EXPORT_PART_SUBJECT}`);
  const subject = EXPORT_PART_SUBJECT as SubjectOf<M>;
  for (const chunk of await userExportChunks(trx, tables, userId)) {
    const part = create(schema, { requestId, service: kit.name, ...chunk }) as MessageOf<M, typeof subject>;
    // Unsequenced (auth puts the chunks in order itself); the user id lets the row be erased with the user.
    await kit.enqueue(trx, subject, part, { userId, sequenced: false });
  }
}
