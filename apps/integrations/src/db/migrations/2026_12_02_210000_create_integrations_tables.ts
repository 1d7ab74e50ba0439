import { sql, type Kysely, type Migration } from '@oo/db';

const now = sql`now()`;

/**
 * Connections and their sync state, the token vault (a wrapped data key per user, sealed tokens
 * per connection), the tasks we have seen from each source, busy times, and pending OAuth
 * connect attempts.
 */
export const createIntegrationsTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('data_keys')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      // The user's AES-256 key sealed by a master key: nonce ‖ ciphertext ‖ tag.
      .addColumn('wrapped_key', 'bytea', (c) => c.notNull())
      .addColumn('master_key_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('rewrapped_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('data_keys_master_key').on('data_keys').column('master_key_id').execute();

    await db.schema
      .createTable('connections')
      .addColumn('connection_id', 'uuid', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      // '' for the OAuth sources (one per user), the feed URL's digest for calendar feeds.
      .addColumn('account_key', 'text', (c) => c.notNull())
      .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'syncing', 'reauth_required', 'error', 'disconnected')`))
      .addColumn('cursor', 'text')
      // A sync listing every task (`complete` pages) marks what it saw with this run's id.
      .addColumn('complete_run', 'uuid')
      .addColumn('last_sync_at', 'timestamptz')
      .addColumn('last_success_at', 'timestamptz')
      .addColumn('last_error', 'text')
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('busy_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_sync_at', 'timestamptz')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addUniqueConstraint('connections_user_provider_account', ['user_id', 'provider', 'account_key'])
      .execute();
    await sql`create index connections_due on connections (next_sync_at) where status in ('active', 'error', 'syncing')`.execute(db);

    await db.schema
      .createTable('connection_tokens')
      .addColumn('connection_id', 'uuid', (c) => c.primaryKey().references('connections.connection_id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      // The tokens as JSON, sealed under the user's data key with the connection id as AAD.
      .addColumn('sealed', 'bytea', (c) => c.notNull())
      .addColumn('access_expires_at', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema.createIndex('connection_tokens_user').on('connection_tokens').column('user_id').execute();

    await db.schema
      .createTable('tasks')
      .addColumn('task_id', 'uuid', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      // Null for manual tasks.
      .addColumn('connection_id', 'uuid', (c) => c.references('connections.connection_id').onDelete('cascade'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('priority', 'smallint', (c) => c.notNull())
      .addColumn('due_at', 'timestamptz')
      .addColumn('due_all_day', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('source_created_at', 'timestamptz')
      .addColumn('source_updated_at', 'timestamptz')
      .addColumn('url', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('estimated_minutes', 'integer')
      .addColumn('completed_at', 'timestamptz')
      // Gone at the source (or disconnected): kept so a task that comes back keeps its id.
      .addColumn('deleted_at', 'timestamptz')
      .addColumn('seen_in_run', 'uuid')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
    await sql`create unique index tasks_connection_external on tasks (connection_id, external_id) where connection_id is not null`.execute(db);
    await db.schema.createIndex('tasks_user').on('tasks').columns(['user_id', 'source']).execute();

    await db.schema
      .createTable('busy_times')
      .addColumn('connection_id', 'uuid', (c) => c.notNull().references('connections.connection_id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('busy_times_pk', ['connection_id', 'external_id', 'starts_at'])
      .execute();
    await db.schema.createIndex('busy_times_user').on('busy_times').columns(['user_id', 'starts_at']).execute();

    await db.schema
      .createTable('oauth_attempts')
      // SHA-256 of the state sent to the provider: a database copy cannot complete a flow.
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      // The PKCE verifier, sealed under the user's data key like the tokens it leads to.
      .addColumn('sealed_verifier', 'bytea')
      // The browser's time zone at connect time, for the source's dates without one.
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oauth_attempts_user').on('oauth_attempts').column('user_id').execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['oauth_attempts', 'busy_times', 'tasks', 'connection_tokens', 'connections', 'data_keys']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
