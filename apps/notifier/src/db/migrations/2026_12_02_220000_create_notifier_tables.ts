import { sql, type Kysely, type Migration } from '@oo/db';

const now = sql`now()`;

/**
 * The notifier's own projections of what it must know on the send path (contacts, preferences,
 * consents: never asked of profile while sending), push subscriptions, channel opt-outs from
 * one-click unsubscribes, and the delivery log.
 */
export const createNotifierTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('contacts')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text')
      .addColumn('display_name', 'text')
      .addColumn('email_bounced_at', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
    await db.schema
      .createTable('preferences')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('quiet_start', 'text')
      .addColumn('quiet_end', 'text')
      .addColumn('channels', sql`text[]`, (c) => c.notNull())
      .addColumn('cadence', 'text', (c) => c.notNull())
      // Orders projections: an older update delivered late does not overwrite a newer one.
      .addColumn('version_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('consents')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('granted', 'boolean', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('consents_pk', ['user_id', 'purpose'])
      .execute();
    await db.schema
      .createTable('opt_outs')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('opt_outs_pk', ['user_id', 'channel'])
      .execute();
    await db.schema
      .createTable('push_subscriptions')
      .addColumn('subscription_id', 'uuid', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull().unique())
      .addColumn('p256dh', 'text', (c) => c.notNull())
      .addColumn('auth', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('last_success_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('push_subscriptions_user').on('push_subscriptions').column('user_id').execute();
    await db.schema
      .createTable('deliveries')
      .addColumn('delivery_id', 'uuid', (c) => c.primaryKey())
      // One delivery per decision: a redelivered notify.requested finds it and does nothing.
      .addColumn('decision_id', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('tip_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('channels', sql`text[]`, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'deferred', 'delivered', 'dropped', 'failed')`))
      .addColumn('channel', 'text')
      .addColumn('reason', 'text')
      .addColumn('detail', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('not_after', 'timestamptz', (c) => c.notNull())
      .addColumn('next_attempt_at', 'timestamptz')
      .addColumn('lease_until', 'timestamptz')
      .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
      .addColumn('delivered_at', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .execute();
    await sql`create index deliveries_due on deliveries (next_attempt_at) where status in ('pending', 'deferred')`.execute(db);
    await db.schema.createIndex('deliveries_user').on('deliveries').columns(['user_id', 'requested_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['deliveries', 'push_subscriptions', 'opt_outs', 'consents', 'preferences', 'contacts']) await db.schema.dropTable(table).execute();
  },
};
