import { sql, type Kysely, type Migration } from '@oo/db';

/** Indexes the retention pruner walks: decisions by age, tombstones by age. */
export const createRetentionIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index decisions_served_at on decisions (served_at)`.execute(db);
    await sql`create index tasks_tombstones_by_age on tasks (version_at) where deleted`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index if exists tasks_tombstones_by_age`.execute(db);
    await sql`drop index if exists decisions_served_at`.execute(db);
  },
};
