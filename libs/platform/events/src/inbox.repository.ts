import { sql, type Kysely } from 'kysely';
import type { EventsDatabase } from './events.tables';

export type SequenceVerdict = 'in-order' | 'late' | 'gap';

export interface EventClaim {
  consumer: string;
  eventId: string;
  /** The event's user; with it, an erased user is reported. */
  userKey?: string;
  /** True when an erased user's event is still handled (the erasure itself): its cursor moves all the same. */
  handleErased?: boolean;
  /** The (source, user) order to check, with the event's sequence; `force` skips a gap. */
  sequence?: { source: string; value: bigint; force: boolean };
}

export type ClaimVerdict = 'duplicate' | 'erased' | SequenceVerdict;

/**
 * Everything a consumer checks before its handler, in one statement on the common path: records
 * the event in the inbox ('duplicate' when it was there: a redelivery), reports an erased user,
 * and compares the event's sequence with the last one handled for (source, user), advancing the
 * cursor when it may go ahead (a first event for a pair is in order: a consumer may start after a
 * stream's oldest events expired). The cursor moves only for a new event that will be handled.
 * Run it after the user's lock (`lockUserForEvents`), so that it sees an erasure committed meanwhile.
 */
export async function claimEvent(trx: Kysely<EventsDatabase>, claim: EventClaim): Promise<ClaimVerdict> {
  const { consumer, eventId, userKey, sequence } = claim;
  const checkErased = userKey !== undefined && claim.handleErased !== true;
  const { rows } = await sql<{ fresh: boolean; erased: boolean; advanced: boolean }>`
    with inbox as (
      insert into event_inbox (consumer, event_id) values (${consumer}, ${eventId})
      on conflict do nothing returning event_id
    ), erased as (
      select ${checkErased}::boolean and exists (select 1 from event_erased_user where user_key = ${userKey ?? null}) as erased
    ), advanced as (
      insert into event_inbox_cursor as c (consumer, source, user_key, last_seq)
      select ${consumer}, ${sequence?.source ?? null}, ${userKey ?? null}, ${sequence?.value.toString() ?? null}::bigint
      where ${sequence !== undefined}::boolean and exists (select 1 from inbox) and not (select erased from erased)
      on conflict (consumer, source, user_key) do update set last_seq = excluded.last_seq, updated_at = now()
      where c.last_seq + 1 = excluded.last_seq or (${sequence?.force ?? false}::boolean and c.last_seq < excluded.last_seq)
      returning last_seq
    )
    select exists (select 1 from inbox) as fresh, (select erased from erased) as erased, exists (select 1 from advanced) as advanced`.execute(trx);
  const row = rows[0];
  if (!row?.fresh) return 'duplicate';
  if (row.erased) return 'erased';
  if (sequence === undefined || row.advanced) return 'in-order';
  // Nothing moved: an event at or before the cursor is late, one beyond it waits for its predecessor.
  const { rows: cursor } = await sql<{ last_seq: string }>`
    select last_seq from event_inbox_cursor
    where consumer = ${consumer} and source = ${sequence.source} and user_key = ${userKey ?? null}`.execute(trx);
  return sequence.value <= BigInt(cursor[0]?.last_seq ?? '0') ? 'late' : 'gap';
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
