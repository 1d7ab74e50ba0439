import { sql, type Kysely, type RawBuilder } from 'kysely';
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

// True when another relay's unexpired lease covers an unpublished row of `group`. A relay runs one
// round at a time, so a lease of its own is left over from a round that could not settle.
function leasedByOther(group: RawBuilder<unknown>, owner: string): RawBuilder<unknown> {
  return sql`exists (
    select 1 from event_outbox l
    where l.published_at is null and coalesce(l.user_key, l.id) = ${group}
      and l.claimed_until > now() and l.claimed_by is distinct from ${owner})`;
}

/**
 * Leases the oldest unpublished rows whose group (user, or the row itself when it has no user) no
 * other relay holds, and commits: nothing stays open while the caller publishes. A group is taken
 * from its oldest unpublished row on, never in part from the middle, so two relays never
 * interleave one user's rows. The advisory try-lock only makes concurrent claims of one group take
 * turns; the lease is checked again after it, in a statement that sees the other claim's commit.
 */
export async function claimBatch(db: Kysely<EventsDatabase>, { limit, leaseMs, owner }: ClaimOptions): Promise<OutboxRow[]> {
  return db.transaction().execute(async (trx) => {
    // The oldest unpublished groups no other relay holds, kept only where the try-lock is ours.
    const { rows: locked } = await sql<{ grp: string }>`
      select grp from (
        select grp, min(seq) as first from (
          select coalesce(o.user_key, o.id) as grp, o.seq from event_outbox o
          where o.published_at is null and not ${leasedByOther(sql`coalesce(o.user_key, o.id)`, owner)}
          order by o.seq limit ${limit}
        ) head group by grp
      ) candidates
      where pg_try_advisory_xact_lock(${RELAY_LOCK_NAMESPACE}, hashtext(grp))`.execute(trx);
    if (locked.length === 0) return [];
    // No SKIP LOCKED: skipping one row of a group would publish its successor first.
    const { rows } = await sql<OutboxRow>`
      with free as (
        select g.grp from unnest(${locked.map((l) => l.grp)}::text[]) as g(grp)
        where not ${leasedByOther(sql`g.grp`, owner)}
      ), picked as (
        select seq from event_outbox
        where published_at is null and coalesce(user_key, id) in (select grp from free)
        order by seq limit ${limit}
        for update
      )
      update event_outbox o
      set claimed_until = now() + ${leaseMs} * interval '1 millisecond', claimed_by = ${owner}
      from picked where o.seq = picked.seq
      returning o.seq, o.id, o.subject, coalesce(o.user_key, o.id) as "group", o.headers, o.payload`.execute(trx);
    return rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  });
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
  await sql`update event_outbox set
      attempts = attempts + (case when seq = any(${outcome.published}::bigint[]) and published_at is null then 1 else 0 end),
      published_at = case when seq = any(${outcome.published}::bigint[]) then coalesce(published_at, now()) else published_at end,
      claimed_until = case when claimed_by = ${owner} then null else claimed_until end,
      claimed_by = case when claimed_by = ${owner} then null else claimed_by end
    where seq = any(${outcome.claimed}::bigint[])`.execute(db);
}

/** Rows waiting to be published; rows moved to `event_outbox_dead` are not among them. */
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
