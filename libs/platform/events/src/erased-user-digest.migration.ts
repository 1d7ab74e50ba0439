import { sql, type Kysely, type Migration } from 'kysely';
import { USER_LOCK_NAMESPACE } from './erased-users';

/**
 * The record of an erased user keeps a digest of the user id, not the id: after an erasure no row
 * of any schema may carry the id, yet late events must still be recognised as the erased user's.
 * Existing records are rewritten, and `event_claim` compares digests (its body otherwise as in
 * `inbox-claim.migration.ts`; migrations are frozen, so this one carries the whole new version).
 */
export const digestErasedUsers: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`update event_erased_user set user_key = encode(sha256(convert_to(user_key, 'UTF8')), 'hex')`.execute(db);
    await sql`
      create or replace function event_claim(
        p_consumer text, p_event_id text, p_user_key text, p_lock text, p_check_erased boolean,
        p_source text, p_seq bigint, p_force boolean
      ) returns table (o_fresh boolean, o_erased boolean, o_advanced boolean, o_last_seq bigint)
      language plpgsql volatile as $$
      begin
        if p_user_key is not null and p_lock = 'exclusive' then
          perform pg_advisory_xact_lock(${sql.lit(USER_LOCK_NAMESPACE)}, hashtext(p_user_key));
        elsif p_user_key is not null and p_lock = 'shared' then
          perform pg_advisory_xact_lock_shared(${sql.lit(USER_LOCK_NAMESPACE)}, hashtext(p_user_key));
        end if;
        return query
          with inbox as (
            insert into event_inbox (consumer, event_id) values (p_consumer, p_event_id)
            on conflict do nothing returning event_inbox.event_id
          ), erased as (
            select p_check_erased and exists (
              select 1 from event_erased_user e where e.user_key = encode(sha256(convert_to(p_user_key, 'UTF8')), 'hex')
            ) as is_erased
          ), advanced as (
            insert into event_inbox_cursor as c (consumer, source, user_key, last_seq)
            select p_consumer, p_source, p_user_key, p_seq
            where p_seq is not null and exists (select 1 from inbox) and not (select is_erased from erased)
            on conflict (consumer, source, user_key) do update set last_seq = excluded.last_seq, updated_at = now()
            where c.last_seq + 1 = excluded.last_seq or (p_force and c.last_seq < excluded.last_seq)
            returning c.last_seq
          )
          select exists (select 1 from inbox), (select is_erased from erased), exists (select 1 from advanced),
            (select k.last_seq from event_inbox_cursor k where k.consumer = p_consumer and k.source = p_source and k.user_key = p_user_key);
      end $$`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    // Digests cannot be turned back into ids: the records are dropped, as pruning would.
    await sql`delete from event_erased_user`.execute(db);
  },
};
