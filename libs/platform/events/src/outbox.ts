import { sql, type Transaction } from 'kysely';
import type { EncodeOptions } from './cloud-event.codec';
import { CE_HEADERS } from './cloud-event.codec';
import type { EventCodec, MessageOf, SubjectMap, SubjectOf } from './event-codec';
import { eventsDb } from './events.tables';

/** What `enqueueEvent` stored: the event id (`ce-id`) and, for a user's event, its sequence. */
export interface EnqueuedEvent {
  id: string;
  sequence?: bigint;
}

/**
 * Writes an event to the outbox in the caller's transaction: it is published after (and only if)
 * the transaction commits, by the outbox relay. Events with a `userId` get the next sequence of
 * that (subject, user); concurrent writers for the same pair queue on that counter row, so a
 * user's sequence order is their commit order. `sequenced: false` leaves a user's event out of
 * that order (and leaves no counter row behind): a deletion receipt, written after the erasure.
 *
 * @example
 * await inTransaction(db, async (trx) => {
 *   await savePreferences(trx, userId, prefs);
 *   await enqueueEvent(trx, events, 'profile.preferences.updated', updated, { userId, traceparent });
 * });
 */
export async function enqueueEvent<DB, M extends SubjectMap, S extends SubjectOf<M>>(
  trx: Transaction<DB>,
  codec: EventCodec<M>,
  subject: S,
  message: MessageOf<M, S>,
  options: Omit<EncodeOptions, 'sequence'> & { sequenced?: boolean } = {},
): Promise<EnqueuedEvent> {
  const db = eventsDb(trx);
  let sequence: bigint | undefined;
  const { sequenced = true, ...encode } = options;
  if (options.userId && sequenced) {
    const { rows } = await sql<{ last_seq: string }>`
      insert into event_outbox_sequence (subject, user_key, last_seq) values (${subject}, ${options.userId}, 1)
      on conflict (subject, user_key) do update set last_seq = event_outbox_sequence.last_seq + 1
      returning last_seq`.execute(db);
    sequence = BigInt(rows[0]?.last_seq ?? '1');
  }
  const event = codec.encode(subject, message, { ...encode, sequence });
  const id = event.headers[CE_HEADERS.id] ?? '';
  await db
    .insertInto('event_outbox')
    .values({
      id,
      subject,
      user_key: options.userId ?? null,
      sequence: sequence === undefined ? null : sequence.toString(),
      headers: JSON.stringify(event.headers),
      payload: Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength),
      published_at: null,
      last_error: null,
    })
    .execute();
  return sequence === undefined ? { id } : { id, sequence };
}
