import { sql, type Kysely, type Migration } from '@oo/db';

/** The profile's own copies of tip events, fed only by its subscriptions, and the feature table. */
export const createTipProjections: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('tip_served')
      .addColumn('decision_id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('tip_id', 'text', (c) => c.notNull())
      .addColumn('tip_kind', 'text', (c) => c.notNull())
      .addColumn('served_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tip_served_user_time').on('tip_served').columns(['user_id', 'served_at']).execute();
    await db.schema
      .createTable('tip_feedback')
      .addColumn('decision_id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('tip_id', 'text', (c) => c.notNull())
      .addColumn('reaction', 'text', (c) => c.notNull().check(sql`reaction in ('done', 'snooze', 'dismiss')`))
      .addColumn('reacted_at', 'timestamptz', (c) => c.notNull())
      .addColumn('dwell_ms', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tip_feedback_user_time').on('tip_feedback').columns(['user_id', 'reacted_at']).execute();
    await db.schema
      .createTable('user_profile_features')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'float8')
      .addColumn('value_text', 'text')
      .addColumn('is_fallback', 'boolean', (c) => c.notNull())
      .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('registry_version', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_profile_features_pk', ['user_id', 'name'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('user_profile_features').execute();
    await db.schema.dropTable('tip_feedback').execute();
    await db.schema.dropTable('tip_served').execute();
  },
};
