import { sql, type Kysely } from 'kysely';
import type { EventsDatabase } from './events.tables';

/** Records the event for this consumer; false when it was already there (a redelivery). */
export async function claimInbox(trx: Kysely<EventsDatabase>, consumer: string, eventId: string): Promise<boolean> {
  const { rows } = await sql<{ event_id: string }>`
    insert into event_inbox (consumer, event_id) values (${consumer}, ${eventId})
    on conflict do nothing returning event_id`.execute(trx);
  return rows.length === 1;
}

export type SequenceVerdict = 'in-order' | 'late' | 'gap';

/**
 * Compares the event's sequence with the last one this consumer handled for (source, user) and
 * advances the cursor when the event may go ahead. A first event for a pair is always in order
 * (a consumer may start after a stream's oldest events expired). With `force`, a gap is skipped.
 */
export async function checkSequence(
  trx: Kysely<EventsDatabase>,
  key: { consumer: string; source: string; userKey: string },
  sequence: bigint,
  force: boolean,
): Promise<SequenceVerdict> {
  const { consumer, source, userKey } = key;
  // One statement on the common path: insert the first cursor, or advance it by exactly one
  // (or past a gap when forced). Only when nothing moved do we look at why.
  const advanced = await sql`
    insert into event_inbox_cursor as c (consumer, source, user_key, last_seq)
    values (${consumer}, ${source}, ${userKey}, ${sequence.toString()})
    on conflict (consumer, source, user_key) do update set last_seq = excluded.last_seq, updated_at = now()
    where c.last_seq + 1 = excluded.last_seq or (${force}::boolean and c.last_seq < excluded.last_seq)
    returning last_seq`.execute(trx);
  if (advanced.rows.length === 1) return 'in-order';
  const { rows } = await sql<{ last_seq: string }>`
    select last_seq from event_inbox_cursor
    where consumer = ${consumer} and source = ${source} and user_key = ${userKey}`.execute(trx);
  return sequence <= BigInt(rows[0]?.last_seq ?? '0') ? 'late' : 'gap';
}

/** Moves the cursor past a dead-lettered event so the user's next events are not held back. */
export async function skipSequence(
  db: Kysely<EventsDatabase>,
  key: { consumer: string; source: string; userKey: string },
  sequence: bigint,
): Promise<void> {
  await sql`
    insert into event_inbox_cursor (consumer, source, user_key, last_seq)
    values (${key.consumer}, ${key.source}, ${key.userKey}, ${sequence.toString()})
    on conflict (consumer, source, user_key)
    do update set last_seq = greatest(event_inbox_cursor.last_seq, excluded.last_seq), updated_at = now()`.execute(db);
}

/** Deletes this consumer's inbox entries older than `cutoff`; redeliveries that old cannot happen. */
export async function purgeInbox(db: Kysely<EventsDatabase>, consumer: string, cutoff: Date): Promise<number> {
  const result = await sql`delete from event_inbox where consumer = ${consumer} and received_at < ${cutoff}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

const DAY_MS = 86_400_000;

/**
 * How long the inbox keeps a consumer's event ids: at least as long as its stream can replay them
 * (a re-created consumer with deliver policy "all" gets everything the stream still holds), plus a
 * day of margin for slow consumers and clocks. `Infinity` (a stream without max age) means never purge.
 *
 * @example
 * inboxRetentionMs(14 * DAY_MS, 30 * DAY_MS); // 31 days
 */
export function inboxRetentionMs(configuredMs: number, streamMaxAgeMs: number): number {
  return Math.max(configuredMs, streamMaxAgeMs + DAY_MS);
}
