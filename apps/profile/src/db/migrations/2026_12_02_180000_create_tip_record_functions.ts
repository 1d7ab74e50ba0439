import { sql, type Kysely, type Migration } from '@oo/db';

// The user's feature lock (`lockUserFeatures`), then the projection that reads the decision's
// other half: two statements, because the read must see a half committed while the lock was
// awaited; in a volatile plpgsql function each statement takes a fresh snapshot, so the pair is
// one round trip. The lock key is the one `lockUserFeatures` takes.
const LOCK = sql.raw(`perform pg_advisory_xact_lock(hashtextextended('profile-features:' || p_user_id, 0));`);
// The user's profile row made sure of, so data-quality counts every user we have heard of.
const PROFILE = sql.raw('profile as (insert into profiles (user_id) values (p_user_id) on conflict (user_id) do nothing)');

/** `record_tip_served(...)` and `record_tip_feedback(...)`: a projected tip event in one round trip. */
export const createTipRecordFunctions: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create function record_tip_served(p_decision_id text, p_user_id text, p_tip_id text, p_tip_kind text, p_served_at timestamptz)
      returns table (o_is_new boolean, o_reaction text)
      language plpgsql volatile as $$
      begin
        ${LOCK}
        return query
          with ${PROFILE}, served as (
            insert into tip_served (decision_id, user_id, tip_id, tip_kind, served_at)
            values (p_decision_id, p_user_id, p_tip_id, p_tip_kind, p_served_at)
            on conflict (decision_id) do nothing returning tip_served.decision_id
          )
          select exists (select 1 from served), (select f.reaction from tip_feedback f where f.decision_id = p_decision_id);
      end $$`.execute(db);
    await sql`
      create function record_tip_feedback(
        p_decision_id text, p_user_id text, p_tip_id text, p_reaction text, p_reacted_at timestamptz, p_dwell_ms integer
      ) returns table (o_is_new boolean, o_served_at timestamptz)
      language plpgsql volatile as $$
      begin
        ${LOCK}
        return query
          with ${PROFILE}, feedback as (
            insert into tip_feedback (decision_id, user_id, tip_id, reaction, reacted_at, dwell_ms)
            values (p_decision_id, p_user_id, p_tip_id, p_reaction, p_reacted_at, p_dwell_ms)
            on conflict (decision_id) do nothing returning tip_feedback.decision_id
          )
          select exists (select 1 from feedback),
            (select s.served_at from tip_served s where s.decision_id = p_decision_id and s.user_id = p_user_id);
      end $$`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop function if exists record_tip_served(text, text, text, text, timestamptz)`.execute(db);
    await sql`drop function if exists record_tip_feedback(text, text, text, text, timestamptz, integer)`.execute(db);
  },
};
