import { sql, type Kysely, type Transaction } from 'kysely';
import type { EventsDatabase } from './events.tables';

// Advisory-lock namespace of the relay; the second key is hashtext(group).
const RELAY_LOCK_NAMESPACE = 0x6f6f5201;

export interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  group: string;
  headers: Record<string, string>;
  payload: Buffer;
}

/**
 * Claims the oldest unpublished rows whose group (user, or the row itself when it has no user)
 * no other relay holds. A group is taken whole or not at all, with a transaction-scoped try-lock,
 * so two relays never interleave one user's rows; the rows are read again after locking, so rows
 * another relay published meanwhile are not sent twice.
 */
export async function claimBatch(trx: Transaction<EventsDatabase>, limit: number): Promise<OutboxRow[]> {
  const { rows: candidates } = await sql<{ grp: string }>`
    select grp from (
      select coalesce(user_key, id) as grp, seq from event_outbox
      where published_at is null order by seq limit ${limit}
    ) head group by grp order by min(seq)`.execute(trx);
  if (candidates.length === 0) return [];
  const { rows: locked } = await sql<{ grp: string }>`
    select grp from unnest(${candidates.map((c) => c.grp)}::text[]) as g(grp)
    where pg_try_advisory_xact_lock(${RELAY_LOCK_NAMESPACE}, hashtext(grp))`.execute(trx);
  if (locked.length === 0) return [];
  // No SKIP LOCKED here: skipping one row of a group would publish its successor first.
  const { rows } = await sql<OutboxRow>`
    select seq, id, subject, coalesce(user_key, id) as "group", headers, payload from event_outbox
    where published_at is null and coalesce(user_key, id) = any(${locked.map((l) => l.grp)}::text[])
    order by seq limit ${limit}
    for update`.execute(trx);
  return rows;
}

export async function markPublished(trx: Transaction<EventsDatabase>, seqs: string[]): Promise<void> {
  if (seqs.length === 0) return;
  await sql`update event_outbox set published_at = now(), attempts = attempts + 1
    where seq = any(${seqs}::bigint[])`.execute(trx);
}

export async function recordFailure(trx: Transaction<EventsDatabase>, seq: string, error: string): Promise<void> {
  await sql`update event_outbox set attempts = attempts + 1, last_error = ${error} where seq = ${seq}`.execute(trx);
}

export async function countBacklog(db: Kysely<EventsDatabase>): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from event_outbox where published_at is null`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Deletes up to `limit` rows published before `cutoff`; returns how many went. */
export async function purgePublished(db: Kysely<EventsDatabase>, cutoff: Date, limit: number): Promise<number> {
  const result = await sql`delete from event_outbox where seq in (
      select seq from event_outbox where published_at < ${cutoff} order by published_at limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function currentSchema(db: Kysely<EventsDatabase>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}
