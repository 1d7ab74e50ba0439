import { sql, type Kysely, type OperationNodeSource, type RawBuilder, type Transaction } from 'kysely';
import type { EncodeOptions } from './cloud-event.codec';
import { CE_HEADERS, SEQUENCE_WIDTH } from './cloud-event.codec';
import type { EventCodec, MessageOf, SubjectMap, SubjectOf } from './event-codec';

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
  options: EnqueueOptions = {},
): Promise<EnqueuedEvent> {
  return writeOutbox(trx, codec, subject, message, options, undefined);
}

export type EnqueueOptions = Omit<EncodeOptions, 'sequence'> & { sequenced?: boolean };

/**
 * Writes a data-modifying statement (the row the event announces: an insert or update built with
 * Kysely) and the event into the outbox as one SQL statement, so the two are atomic without a
 * transaction around them and cost one round trip instead of four (begin, two writes, commit).
 *
 * @example
 * await enqueueEventWith(db, db.insertInto('decisions').values(row), codec, 'signals.tip.served', served, { userId });
 */
export async function enqueueEventWith<DB, M extends SubjectMap, S extends SubjectOf<M>>(
  db: Kysely<DB>,
  alongside: OperationNodeSource,
  codec: EventCodec<M>,
  subject: S,
  message: MessageOf<M, S>,
  options: EnqueueOptions = {},
): Promise<EnqueuedEvent> {
  return writeOutbox(db, codec, subject, message, options, alongside);
}

async function writeOutbox<DB, M extends SubjectMap, S extends SubjectOf<M>>(
  db: Kysely<DB>,
  codec: EventCodec<M>,
  subject: S,
  message: MessageOf<M, S>,
  options: EnqueueOptions,
  alongside: OperationNodeSource | undefined,
): Promise<EnqueuedEvent> {
  const { sequenced = true, ...encode } = options;
  const event = codec.encode(subject, message, encode);
  const id = event.headers[CE_HEADERS.id] ?? '';
  const payload = Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength);
  const headers = JSON.stringify(event.headers);
  // A data-modifying statement in WITH runs exactly once, whether or not the rest refers to it.
  const prefix: RawBuilder<unknown> = alongside ? sql`with alongside as (${alongside}), ` : sql`with `;
  if (!options.userId || !sequenced) {
    await sql`${prefix}ready as (select 1)
      insert into event_outbox (id, subject, user_key, headers, payload)
      select ${id}, ${subject}, ${options.userId ?? null}, ${headers}::jsonb, ${payload} from ready`.execute(db);
    return { id };
  }
  // The counter moves and the row, with its `ce-sequence` header written from the counter, goes
  // in within the same statement.
  const { rows } = await sql<{ sequence: string }>`${prefix}next as (
      insert into event_outbox_sequence (subject, user_key, last_seq) values (${subject}, ${options.userId}, 1)
      on conflict (subject, user_key) do update set last_seq = event_outbox_sequence.last_seq + 1
      returning last_seq)
    insert into event_outbox (id, subject, user_key, sequence, headers, payload)
    select ${id}, ${subject}, ${options.userId}, next.last_seq,
      ${headers}::jsonb || jsonb_build_object(${CE_HEADERS.sequence}::text, lpad(next.last_seq::text, ${SEQUENCE_WIDTH}::int, '0')),
      ${payload}
    from next
    returning sequence`.execute(db);
  return { id, sequence: BigInt(rows[0]?.sequence ?? '1') };
}
