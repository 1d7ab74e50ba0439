import { fixedSql } from '@oo/db';
import { sql, type Kysely } from 'kysely';
import type { EventsDatabase } from './events.tables';

export type SequenceVerdict = 'in-order' | 'late' | 'gap';

export interface EventClaim {
  consumer: string;
  eventId: string;
  /** The event's user; with it, the user's event lock is taken and an erased user is reported. */
  userKey?: string;
  /** True for the erasure itself: its lock is exclusive, and an erased user's event is still handled (its cursor moves all the same). */
  handleErased?: boolean;
  /** The (source, user) order to check, with the event's sequence; `force` skips a gap. */
  sequence?: { source: string; value: bigint; force: boolean };
}

export type ClaimVerdict = 'duplicate' | 'erased' | SequenceVerdict;

/**
 * Everything a consumer does before its handler, in one round trip (`event_claim`): takes the
 * user's event lock (shared; exclusive for the erasure, which so waits for the user's handlers in
 * flight and they for it), records the event in the inbox ('duplicate' when it was there: a
 * redelivery), reports an erased user, and compares the event's sequence with the last one handled
 * for (source, user), advancing the cursor when it may go ahead (a first event for a pair is in
 * order: a consumer may start after a stream's oldest events expired). The cursor moves only for a
 * new event that will be handled. Call it first in the handler's transaction.
 */
export async function claimEvent(trx: Kysely<EventsDatabase>, claim: EventClaim): Promise<ClaimVerdict> {
  const { consumer, eventId, userKey, sequence } = claim;
  const erasure = claim.handleErased === true;
  const lock = userKey === undefined ? 'none' : erasure ? 'exclusive' : 'shared';
  const { rows } = await fixedSql<{ o_fresh: boolean; o_erased: boolean; o_advanced: boolean; o_last_seq: string | null }>`
    select * from event_claim(${consumer}, ${eventId}, ${userKey ?? null}, ${lock}, ${userKey !== undefined && !erasure},
      ${sequence?.source ?? null}, ${sequence?.value.toString() ?? null}::bigint, ${sequence?.force ?? false})`.execute(trx);
  const row = rows[0];
  if (!row?.o_fresh) return 'duplicate';
  if (row.o_erased) return 'erased';
  if (sequence === undefined || row.o_advanced) return 'in-order';
  // Nothing moved: an event at or before the cursor is late, one beyond it waits for its predecessor.
  return sequence.value <= BigInt(row.o_last_seq ?? '0') ? 'late' : 'gap';
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
