import { sql, type Kysely, type Migration } from '@oo/db';

/**
 * The nudge scheduler's state: each user's nudge preferences (projected from profile) with the
 * next moment to look at them, one row per user and slot it ran for (the key that keeps it to one
 * run per slot across instances), and on each decision the channel it was shown on and what the
 * notifier made of it.
 */
export const createNudgeTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('nudge_preferences')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('channels', sql`text[]`, (c) => c.notNull())
      .addColumn('quiet_hours_start', 'text')
      .addColumn('quiet_hours_end', 'text')
      .addColumn('cadence', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('next_check_at', 'timestamptz', (c) => c.notNull())
      .execute();
    // The scheduler's question, "who is due?", skips users who want no nudges.
    await sql`create index nudge_preferences_due on nudge_preferences (next_check_at) where cadence <> 'off' and cardinality(channels) > 0`.execute(db);
    await db.schema
      .createTable('nudge_slots')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('slot', 'text', (c) => c.notNull())
      .addColumn('decision_id', 'uuid')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('ran_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('nudge_slots_pkey', ['user_id', 'slot'])
      .execute();
    await sql`create index nudge_slots_by_age on nudge_slots (ran_at)`.execute(db);
    await sql`alter table decisions add column channel text not null default 'in_app'`.execute(db);
    await sql`alter table decisions add column delivery_status text check (delivery_status in ('delivered', 'failed'))`.execute(db);
    await sql`alter table decisions add column delivery_channel text`.execute(db);
    await sql`alter table decisions add column delivery_reason text`.execute(db);
    await sql`create index decisions_nudges on decisions (served_at) where channel <> 'in_app'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index if exists decisions_nudges`.execute(db);
    for (const column of ['delivery_reason', 'delivery_channel', 'delivery_status', 'channel']) {
      await sql`alter table decisions drop column if exists ${sql.ref(column)}`.execute(db);
    }
    await db.schema.dropTable('nudge_slots').ifExists().execute();
    await db.schema.dropTable('nudge_preferences').ifExists().execute();
  },
};
