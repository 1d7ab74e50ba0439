import { sql, type Kysely, type Migration } from '@oo/db';

/** Profiles, preferences and the append-only consent history. */
export const createProfileTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('profiles')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text')
      .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
      .addColumn('locale', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createTable('preferences')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('quiet_hours_start', 'text')
      .addColumn('quiet_hours_end', 'text')
      .addColumn('channels', sql`text[]`, (c) => c.notNull())
      .addColumn('tip_cadence', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('consent_events')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('text_hash', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('granted', 'withdrawn')`))
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('consent_events_user_purpose').on('consent_events').columns(['user_id', 'purpose', 'id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('consent_events').execute();
    await db.schema.dropTable('preferences').execute();
    await db.schema.dropTable('profiles').execute();
  },
};
