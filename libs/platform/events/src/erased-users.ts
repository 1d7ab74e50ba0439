import { createHash } from 'node:crypto';
import { sql, type Kysely, type Migration } from 'kysely';
import type { EventsDatabase } from './events.tables';

// A user erased from this service's schema, by a digest of the id (see erasedUserDigest). Kept so
// that events about the user that arrive late (a redelivery, a replay, another service's outbox
// catching up) change nothing.

export const createErasedUsers: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table event_erased_user (
        user_key text primary key,
        erased_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index event_erased_user_erased_at on event_erased_user (erased_at)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists event_erased_user`.execute(db);
  },
};

// Advisory-lock namespace of per-user event handling; the second key is hashtext(user).
export const USER_LOCK_NAMESPACE = 0x6f6f5502;

/**
 * Serialises a user's erasure against the handling of their other events in this schema: every
 * handler takes the user's lock shared, the erasure takes it exclusive. Without it a handler that
 * checked "not erased" just before the erasure committed could write rows the erasure never saw.
 * Held until the transaction ends.
 *
 * @example
 * await lockUserForEvents(eventsDb(trx), event.userId, isErasure);
 */
export async function lockUserForEvents(db: Kysely<EventsDatabase>, userKey: string, exclusive: boolean): Promise<void> {
  await (exclusive
    ? sql`select pg_advisory_xact_lock(${USER_LOCK_NAMESPACE}, hashtext(${userKey}))`
    : sql`select pg_advisory_xact_lock_shared(${USER_LOCK_NAMESPACE}, hashtext(${userKey}))`
  ).execute(db);
}

/**
 * What the record of an erased user holds instead of the id: SHA-256 of it, hex (the same as
 * Postgres's `encode(sha256(convert_to(id, 'UTF8')), 'hex')`, which `event_claim` compares).
 */
export function erasedUserDigest(userKey: string): string {
  return createHash('sha256').update(userKey, 'utf8').digest('hex');
}

/** Records that the user was erased here (by digest, so no row keeps the id); idempotent. */
export async function markUserErased(db: Kysely<EventsDatabase>, userKey: string): Promise<void> {
  await sql`insert into event_erased_user (user_key) values (${erasedUserDigest(userKey)}) on conflict (user_key) do nothing`.execute(db);
}

/**
 * True when the user was erased from this schema; consumers then treat the user's events as no-ops.
 *
 * @example
 * if (await isUserErased(eventsDb(trx), event.userId)) return 'erased';
 */
export async function isUserErased(db: Kysely<EventsDatabase>, userKey: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`select 1 as one from event_erased_user where user_key = ${erasedUserDigest(userKey)}`.execute(db);
  return rows.length > 0;
}

/** Forgets erasures older than `cutoff` (past every stream's retention, nothing about them can arrive). */
export async function pruneErasedUsers(db: Kysely<EventsDatabase>, cutoff: Date): Promise<number> {
  const result = await sql`delete from event_erased_user where erased_at < ${cutoff}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
