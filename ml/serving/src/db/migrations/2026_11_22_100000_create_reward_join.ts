import { sql, type Kysely, type Migration } from '@oo/db';

/** The reward join: one row per decision, filled by the served and the feedback consumers. */
export const createRewardJoin: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('decisions')
      .addColumn('decision_id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('served_at', 'timestamptz')
      .addColumn('policy', 'text')
      .addColumn('model_version', 'text')
      .addColumn('fallback', 'boolean')
      .addColumn('propensity', 'float8')
      .addColumn('feature_names', 'jsonb')
      .addColumn('features', 'jsonb')
      .addColumn('context', 'jsonb')
      .addColumn('reaction', 'text', (c) => c.check(sql`reaction in ('done', 'snooze', 'dismiss')`))
      .addColumn('reacted_at', 'timestamptz')
      .addColumn('feedback_received_at', 'timestamptz')
      .addColumn('settled_at', 'timestamptz')
      .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('done', 'snooze', 'dismiss', 'none')`))
      .addColumn('reward', 'float8')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    // The sweeper's question: which served decisions are still open, oldest first.
    await sql`create index decisions_open on decisions (served_at) where settled_at is null and served_at is not null`.execute(db);
    await sql`create index decisions_settled on decisions (settled_at) where settled_at is not null`.execute(db);
    await sql`create index decisions_orphan_feedback on decisions (feedback_received_at) where served_at is null`.execute(db);
    await db.schema.createIndex('decisions_user').on('decisions').column('user_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('decisions').execute();
  },
};
