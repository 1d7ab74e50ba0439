import { sql, type Kysely, type Migration } from 'kysely';

/** Advisory-lock namespace of the relay; the second key is hashtext(group). */
export const RELAY_LOCK_NAMESPACE = 0x6f6f5201;

// True when another relay's unexpired lease covers an unpublished row of the group `grp`. A relay
// runs one round at a time, so a lease of its own is left over from a round that could not settle.
const leasedByOther = (grp: string) => `exists (
  select 1 from event_outbox l
  where l.published_at is null and coalesce(l.user_key, l.id) = ${grp}
    and l.claimed_until > now() and l.claimed_by is distinct from p_owner)`;

/**
 * `event_outbox_claim(limit, lease_ms, owner)`: a relay's claim in one round trip (see
 * `claimBatch`). Two statements — pick the oldest free groups and try-lock them, then lease their
 * rows after checking the leases again — because the second must see a claim another relay
 * committed while this one was picking; in a volatile plpgsql function each statement takes a
 * fresh snapshot. Called as one statement, it commits (and lets go of the try-locks) when it returns.
 */
export const createOutboxClaimFunction: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create function event_outbox_claim(p_limit integer, p_lease_ms integer, p_owner text)
      returns table (o_seq bigint, o_id text, o_subject text, o_group text, o_headers jsonb, o_payload bytea)
      language plpgsql volatile as $$
      declare
        v_groups text[];
      begin
        select array_agg(grp) into v_groups from (
          select grp from (
            select grp, min(seq) as first from (
              select coalesce(o.user_key, o.id) as grp, o.seq from event_outbox o
              where o.published_at is null and not ${sql.raw(leasedByOther('coalesce(o.user_key, o.id)'))}
              order by o.seq limit p_limit
            ) head group by grp
          ) candidates
          where pg_try_advisory_xact_lock(${sql.lit(RELAY_LOCK_NAMESPACE)}, hashtext(grp))
        ) locked;
        if v_groups is null then
          return;
        end if;
        -- No SKIP LOCKED: skipping one row of a group would publish its successor first.
        return query
          with free as (
            select g.grp from unnest(v_groups) as g(grp) where not ${sql.raw(leasedByOther('g.grp'))}
          ), picked as (
            select e.seq from event_outbox e
            where e.published_at is null and coalesce(e.user_key, e.id) in (select f.grp from free f)
            order by e.seq limit p_limit
            for update
          )
          update event_outbox o
          set claimed_until = now() + p_lease_ms * interval '1 millisecond', claimed_by = p_owner
          from picked where o.seq = picked.seq
          returning o.seq, o.id, o.subject, coalesce(o.user_key, o.id), o.headers, o.payload;
      end $$`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop function if exists event_outbox_claim(integer, integer, text)`.execute(db);
  },
};
