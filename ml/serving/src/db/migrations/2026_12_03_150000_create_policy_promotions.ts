import { sql, type Kysely, type Migration } from '@oo/db';

/**
 * Every switch of the live policy, in order (`seq`): a shadow promoted on evidence, or a
 * reversal of an earlier switch. The newest row is the assignment in force; none means the
 * recommender's configured LIVE_POLICY / SHADOW_POLICIES still apply.
 */
export const createPolicyPromotions: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table policy_promotions (
        promotion_id uuid primary key,
        seq bigserial not null unique,
        live_policy text not null,
        previous_live_policy text not null,
        shadow_policies jsonb not null,
        actor text not null,
        reverts_promotion_id uuid references policy_promotions (promotion_id),
        evidence jsonb,
        promoted_at timestamptz not null
      )`.execute(db);
    await sql`comment on table policy_promotions is 'Switches of the live policy (ADR 0019): promotions with the evidence they were decided on, and reversals.'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists policy_promotions`.execute(db);
  },
};
