import type { ColumnType, Generated, Kysely } from 'kysely';

// The library's tables, created in each service's own schema by `eventsMigrations`.

export interface OutboxTable {
  /** Insertion order; the relay publishes in this order. */
  seq: Generated<string>;
  /** The event's `ce-id`, also its broker dedupe id. */
  id: string;
  subject: string;
  /** The user the event is about; a user's rows are published strictly in `seq` order. */
  user_key: string | null;
  /** Per (subject, user) sequence, sent as `ce-sequence`. */
  sequence: string | null;
  headers: ColumnType<Record<string, string>, string, string>;
  payload: Buffer;
  created_at: Generated<Date>;
  published_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** The relay's lease: until then the row's whole group belongs to `claimed_by`. Set by the relay only. */
  claimed_until: ColumnType<Date | null, never, Date | null>;
  claimed_by: ColumnType<string | null, never, string | null>;
}

/** An outbox row the broker refused for good (e.g. above the stream's `max_msg_size`), moved aside. */
export interface OutboxDeadTable {
  /** The row's `seq` in `event_outbox`. */
  seq: string;
  id: string;
  subject: string;
  user_key: string | null;
  sequence: string | null;
  headers: ColumnType<Record<string, string>, string, string>;
  payload: Buffer;
  created_at: Date;
  attempts: number;
  dead_at: Generated<Date>;
  dead_reason: string;
}

export interface OutboxSequenceTable {
  subject: string;
  user_key: string;
  last_seq: string;
}

export interface InboxTable {
  consumer: string;
  event_id: string;
  received_at: Generated<Date>;
}

export interface InboxCursorTable {
  consumer: string;
  source: string;
  user_key: string;
  last_seq: string;
  updated_at: Generated<Date>;
}

export interface ErasedUserTable {
  user_key: string;
  erased_at: Generated<Date>;
}

export interface EventsDatabase {
  event_erased_user: ErasedUserTable;
  event_outbox: OutboxTable;
  event_outbox_dead: OutboxDeadTable;
  event_outbox_sequence: OutboxSequenceTable;
  event_inbox: InboxTable;
  event_inbox_cursor: InboxCursorTable;
}

/**
 * The library's view of a service's database. Every service migrates `eventsMigrations` into its
 * own schema, so these tables exist whatever the service's own `DB` type says.
 */
export function eventsDb<DB>(db: Kysely<DB>): Kysely<EventsDatabase> {
  return db as unknown as Kysely<EventsDatabase>;
}

/** The NOTIFY channel the outbox trigger signals on; the payload is the schema name. */
export const OUTBOX_CHANNEL = 'oo_event_outbox';
