import { sql, type Kysely, type Migration } from 'kysely';
import type { MigrationSet } from '@oo/db';
import { createClaimFunction } from './inbox-claim.migration';
import { createOutboxClaimFunction } from './outbox-claim.migration';
import { digestErasedUsers } from './erased-user-digest.migration';
import { createErasedUsers } from './erased-users';
import { OUTBOX_CHANNEL } from './events.tables';

// Unqualified names land in the service's schema: migrations run with search_path set to it.

const createOutbox: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table event_outbox (
        seq bigserial primary key,
        id text not null unique,
        subject text not null,
        user_key text,
        sequence bigint,
        headers jsonb not null,
        payload bytea not null,
        created_at timestamptz not null default now(),
        published_at timestamptz,
        attempts integer not null default 0,
        last_error text
      )`.execute(db);
    await sql`create index event_outbox_unpublished on event_outbox (seq) where published_at is null`.execute(db);
    await sql`create index event_outbox_published_at on event_outbox (published_at) where published_at is not null`.execute(db);
    await sql`
      create table event_outbox_sequence (
        subject text not null,
        user_key text not null,
        last_seq bigint not null,
        primary key (subject, user_key)
      )`.execute(db);
    // One notification per inserting statement wakes the relays of this schema at commit.
    await sql`
      create function event_outbox_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify(${sql.lit(OUTBOX_CHANNEL)}, tg_table_schema);
        return null;
      end $$`.execute(db);
    await sql`
      create trigger event_outbox_notify after insert on event_outbox
      for each statement execute function event_outbox_notify()`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists event_outbox`.execute(db);
    await sql`drop function if exists event_outbox_notify()`.execute(db);
    await sql`drop table if exists event_outbox_sequence`.execute(db);
  },
};

const createInbox: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table event_inbox (
        consumer text not null,
        event_id text not null,
        received_at timestamptz not null default now(),
        primary key (consumer, event_id)
      )`.execute(db);
    await sql`create index event_inbox_received_at on event_inbox (consumer, received_at)`.execute(db);
    await sql`
      create table event_inbox_cursor (
        consumer text not null,
        source text not null,
        user_key text not null,
        last_seq bigint not null,
        updated_at timestamptz not null default now(),
        primary key (consumer, source, user_key)
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists event_inbox_cursor`.execute(db);
    await sql`drop table if exists event_inbox`.execute(db);
  },
};

// Relays claim rows with a lease instead of holding a transaction open while they publish; the
// group index serves the "does anyone hold this user's rows" probe of every claim.
const addOutboxLeases: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table event_outbox add column claimed_until timestamptz, add column claimed_by text`.execute(db);
    await sql`
      create index event_outbox_unpublished_group on event_outbox ((coalesce(user_key, id)), seq)
      where published_at is null`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index if exists event_outbox_unpublished_group`.execute(db);
    await sql`alter table event_outbox drop column if exists claimed_until, drop column if exists claimed_by`.execute(db);
  },
};

// Rows the broker refused for good, moved out of the relay's way; kept (not purged) for an operator.
const createOutboxDead: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table event_outbox_dead (
        seq bigint primary key,
        id text not null,
        subject text not null,
        user_key text,
        sequence bigint,
        headers jsonb not null,
        payload bytea not null,
        created_at timestamptz not null,
        attempts integer not null,
        dead_at timestamptz not null default now(),
        dead_reason text not null
      )`.execute(db);
    await sql`create index event_outbox_dead_user_key on event_outbox_dead (user_key)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists event_outbox_dead`.execute(db);
  },
};

/**
 * The outbox and inbox tables; every service spreads these before its own migrations.
 *
 * @example
 * await migrateToLatest(db, { schema: 'profile', migrations: { ...eventsMigrations, ...profileMigrations } });
 */
export const eventsMigrations: MigrationSet = {
  '2026_11_21_000001_create_outbox': createOutbox,
  '2026_11_21_000002_create_inbox': createInbox,
  '2026_12_01_000001_create_erased_users': createErasedUsers,
  '2026_12_01_204500_add_outbox_leases': addOutboxLeases,
  '2026_12_01_204600_create_outbox_dead': createOutboxDead,
  '2026_12_02_160000_create_claim_function': createClaimFunction,
  '2026_12_02_170000_create_outbox_claim_function': createOutboxClaimFunction,
  '2026_12_03_100000_digest_erased_users': digestErasedUsers,
};
