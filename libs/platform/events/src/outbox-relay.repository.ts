import { fixedSql } from '@oo/db';
import { sql, type Kysely } from 'kysely';
import type { EventsDatabase } from './events.tables';

export interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  group: string;
  headers: Record<string, string>;
  payload: Buffer;
}

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  /** This relay's id, written to `claimed_by`; its own older leases never block it. */
  owner: string;
}

/** What a round did with the rows it claimed, written back in one short transaction. */
export interface RoundOutcome {
  claimed: string[];
  published: string[];
  failed: { seq: string; error: string }[];
  dead: { seq: string; reason: string }[];
}

export interface DeadRow {
  seq: string;
  id: string;
  subject: string;
  dead_reason: string;
}

/**
 * Leases the oldest unpublished rows whose group (user, or the row itself when it has no user) no
 * other relay holds, and commits: nothing stays open while the caller publishes. A group is taken
 * from its oldest unpublished row on, never in part from the middle, so two relays never
 * interleave one user's rows. The advisory try-lock only makes concurrent claims of one group take
 * turns; the lease is checked again after it, in a statement that sees the other claim's commit.
 * One round trip: both statements run in `event_outbox_claim` (see its migration).
 */
export async function claimBatch(db: Kysely<EventsDatabase>, { limit, leaseMs, owner }: ClaimOptions): Promise<OutboxRow[]> {
  const { rows } = await fixedSql<{ o_seq: string; o_id: string; o_subject: string; o_group: string; o_headers: Record<string, string>; o_payload: Buffer }>`
    select * from event_outbox_claim(${limit}, ${leaseMs}, ${owner})`.execute(db);
  return rows
    .map((r) => ({ seq: r.o_seq, id: r.o_id, subject: r.o_subject, group: r.o_group, headers: r.o_headers, payload: r.o_payload }))
    .sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
}

/**
 * Marks what the broker acknowledged, records failures, moves refused rows to
 * `event_outbox_dead` and gives back this relay's leases, in one short transaction. Returns the
 * rows it moved (none when another relay moved them first).
 */
export async function settleRound(db: Kysely<EventsDatabase>, owner: string, outcome: RoundOutcome): Promise<DeadRow[]> {
  if (outcome.failed.length === 0 && outcome.dead.length === 0) {
    await settlePublished(db, owner, outcome);
    return [];
  }
  return db.transaction().execute(async (trx) => {
    if (outcome.published.length > 0) {
      await sql`update event_outbox set published_at = now(), attempts = attempts + 1
        where seq = any(${outcome.published}::bigint[]) and published_at is null`.execute(trx);
    }
    for (const f of outcome.failed) {
      await sql`update event_outbox set attempts = attempts + 1, last_error = ${f.error} where seq = ${f.seq}`.execute(trx);
    }
    const moved: DeadRow[] = [];
    for (const d of outcome.dead) {
      const { rows } = await sql<DeadRow>`
        with gone as (delete from event_outbox where seq = ${d.seq} and published_at is null returning *)
        insert into event_outbox_dead (seq, id, subject, user_key, sequence, headers, payload, created_at, attempts, dead_reason)
        select seq, id, subject, user_key, sequence, headers, payload, created_at, attempts + 1, ${d.reason} from gone
        returning seq, id, subject, dead_reason`.execute(trx);
      moved.push(...rows);
    }
    if (outcome.claimed.length > 0) {
      await sql`update event_outbox set claimed_until = null, claimed_by = null
        where seq = any(${outcome.claimed}::bigint[]) and claimed_by = ${owner}`.execute(trx);
    }
    return moved;
  });
}

// The common round, everything acknowledged, in one statement: marks the published rows (once) and
// gives back this relay's leases; a lease another relay took over stays with it.
async function settlePublished(db: Kysely<EventsDatabase>, owner: string, outcome: RoundOutcome): Promise<void> {
  if (outcome.claimed.length === 0) return;
  await fixedSql`update event_outbox set
      attempts = attempts + (case when seq = any(${outcome.published}::bigint[]) and published_at is null then 1 else 0 end),
      published_at = case when seq = any(${outcome.published}::bigint[]) then coalesce(published_at, now()) else published_at end,
      claimed_until = case when claimed_by = ${owner} then null else claimed_until end,
      claimed_by = case when claimed_by = ${owner} then null else claimed_by end
    where seq = any(${outcome.claimed}::bigint[])`.execute(db);
}

/** Rows waiting to be published; rows moved to `event_outbox_dead` are not among them. */
export async function countBacklog(db: Kysely<EventsDatabase>): Promise<{ rows: number; oldestAgeMs: number }> {
  const { rows } = await sql<{ n: string; oldest_ms: number | null }>`
    select count(*) as n, (extract(epoch from (now() - min(created_at))) * 1000)::float8 as oldest_ms
    from event_outbox where published_at is null`.execute(db);
  return { rows: Number(rows[0]?.n ?? 0), oldestAgeMs: Math.max(0, rows[0]?.oldest_ms ?? 0) };
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
