import { sql, type Kysely, type Migration } from '@oo/db';

/**
 * Data exports coordinated by auth: one row per request with the services expected to answer
 * (fixed when it is made), and the parts as they arrive until the archive is built from them.
 * Both go with the user row (cascade), and at once when the user asks for deletion.
 */
export const createExportRequests: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('export_requests')
      .addColumn('export_id', 'uuid', (c) => c.primaryKey())
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('collecting', 'ready', 'failed', 'expired')`))
      .addColumn('contributors', sql`text[]`, (c) => c.notNull())
      .addColumn('received', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
      .addColumn('collect_by', 'timestamptz', (c) => c.notNull())
      .addColumn('ready_at', 'timestamptz')
      .addColumn('expires_at', 'timestamptz')
      .addColumn('failure', 'text')
      .addColumn('archive', 'bytea')
      .addColumn('archive_bytes', 'integer')
      .execute();
    // One export in flight per user, whatever races the requests run.
    await sql`create unique index export_requests_one_collecting on export_requests (user_id) where status = 'collecting'`.execute(db);
    await sql`create index export_requests_by_user on export_requests (user_id, requested_at desc)`.execute(db);
    await sql`create index export_requests_due on export_requests (status, expires_at)`.execute(db);
    await db.schema
      .createTable('export_parts')
      .addColumn('export_id', 'uuid', (c) => c.notNull().references('export_requests.export_id').onDelete('cascade'))
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('chunk_index', 'integer', (c) => c.notNull())
      .addColumn('chunk_count', 'integer', (c) => c.notNull())
      .addColumn('data', 'bytea', (c) => c.notNull())
      .addColumn('fields', 'jsonb')
      .addColumn('received_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('export_parts_pk', ['export_id', 'service', 'chunk_index'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('export_parts').ifExists().execute();
    await db.schema.dropTable('export_requests').ifExists().execute();
  },
};
