import { sql, type Kysely, type Migration } from '@oo/db';

/** The candidate read model, users' timezones, the decision log and feedback. */
export const createRecommenderTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('tasks')
      .addColumn('task_id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('due_at', 'timestamptz')
      .addColumn('priority', 'smallint', (c) => c.notNull().check(sql`priority between 1 and 4`))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('completed_at', 'timestamptz')
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('version_at', 'timestamptz', (c) => c.notNull())
      .addColumn('deleted', 'boolean', (c) => c.notNull())
      .execute();
    // Exactly the rows a decision reads, already in "most pressing first" order.
    await sql`create index tasks_open_by_urgency on tasks (user_id, due_at asc nulls last, priority, created_at)
              where not deleted and completed_at is null`.execute(db);
    await db.schema
      .createTable('user_timezones')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('decisions')
      .addColumn('decision_id', 'uuid', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('served_at', 'timestamptz', (c) => c.notNull())
      .addColumn('tip_id', 'text', (c) => c.notNull())
      .addColumn('tip_kind', 'text', (c) => c.notNull())
      .addColumn('tip_title', 'text', (c) => c.notNull())
      .addColumn('tip_body', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text')
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('model_version', 'text', (c) => c.notNull())
      .addColumn('layout_version', 'text', (c) => c.notNull())
      .addColumn('fallback', 'boolean', (c) => c.notNull())
      .addColumn('fallback_reason', 'text')
      .addColumn('chosen_index', 'integer', (c) => c.notNull())
      .addColumn('propensity', 'float8', (c) => c.notNull())
      // json, not float8[] (slow to decode through pg) nor jsonb (parsed on write, never queried).
      .addColumn('feature_layout', 'json', (c) => c.notNull())
      .addColumn('candidates', 'json', (c) => c.notNull())
      .addColumn('probabilities', 'json', (c) => c.notNull())
      .addColumn('shadow_policies', 'json', (c) => c.notNull())
      .addColumn('context', 'json', (c) => c.notNull())
      .execute();
    await sql`create index decisions_user_recent on decisions (user_id, served_at desc, decision_id desc)`.execute(db);
    await db.schema
      .createTable('tip_feedback')
      .addColumn('decision_id', 'uuid', (c) => c.primaryKey().references('decisions.decision_id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('reaction', 'text', (c) => c.notNull().check(sql`reaction in ('done', 'snooze', 'dismiss')`))
      .addColumn('reacted_at', 'timestamptz', (c) => c.notNull())
      .addColumn('dwell_ms', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('tip_feedback').execute();
    await db.schema.dropTable('decisions').execute();
    await db.schema.dropTable('user_timezones').execute();
    await db.schema.dropTable('tasks').execute();
  },
};
