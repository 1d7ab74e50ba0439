import { sql, type Kysely, type Migration } from '@oo/db';

/**
 * Account deletions tracked to the end: one row per request with the services expected to answer
 * (fixed when it is made) and its deadline. Once every receipt is in, the identity is erased and
 * the row keeps only a digest of the user id, the proof that this request was carried out.
 * Receipts name only their request from now on.
 */
export const createDeletionRequests: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('deletion_requests')
      .addColumn('request_id', 'text', (c) => c.primaryKey())
      // Null once the deletion completed: then only subject_digest says whose it was.
      .addColumn('user_id', 'text')
      .addColumn('subject_digest', 'text', (c) => c.notNull())
      .addColumn('holders', sql`text[]`, (c) => c.notNull())
      .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
      .addColumn('due_at', 'timestamptz', (c) => c.notNull())
      .addColumn('completed_at', 'timestamptz')
      .execute();
    await sql`create index deletion_requests_pending on deletion_requests (due_at) where completed_at is null`.execute(db);
    await sql`create index deletion_requests_by_time on deletion_requests (requested_at desc, request_id desc)`.execute(db);
    await sql`alter table deletion_receipts alter column user_id drop not null`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('deletion_requests').ifExists().execute();
  },
};
