import { sql, type Kysely, type Migration } from '@oo/db';

/** Channel on which committed observations wake every instance; the payload is the schema. */
export const OBSERVATIONS_CHANNEL = 'ml_observations';

/** The ordered observation log every instance learns from, its counter, layouts and checkpoints. */
export const createModelState: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table observation_counter (
        id smallint primary key check (id = 1),
        seq bigint not null check (seq >= 0)
      )`.execute(db);
    await sql`insert into observation_counter (id, seq) values (1, 0)`.execute(db);
    await sql`
      create table learned_observations (
        seq bigint primary key,
        kind text not null check (kind in ('reward', 'forget')),
        decision_id text unique,
        user_id text,
        layout_version text,
        features bytea,
        reward float8,
        outcome text check (outcome in ('done', 'snooze', 'dismiss', 'none')),
        learned_at timestamptz not null,
        check (kind = 'forget' or (features is not null and reward is not null and layout_version is not null))
      )`.execute(db);
    await sql`create index learned_observations_user on learned_observations (user_id)`.execute(db);
    await sql`
      create table feature_layouts (
        version text primary key,
        names jsonb not null,
        first_seen_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table model_snapshots (
        layout_version text not null,
        version bigint not null,
        snapshot bytea not null,
        users integer not null,
        created_at timestamptz not null,
        primary key (layout_version, version)
      )`.execute(db);
    await sql`create index model_snapshots_version on model_snapshots (version)`.execute(db);
    await sql`
      create function learned_observations_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify(${sql.lit(OBSERVATIONS_CHANNEL)}, tg_table_schema);
        return null;
      end $$`.execute(db);
    await sql`
      create trigger learned_observations_notify after insert on learned_observations
      for each statement execute function learned_observations_notify()`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists learned_observations`.execute(db);
    await sql`drop function if exists learned_observations_notify()`.execute(db);
    await sql`drop table if exists observation_counter`.execute(db);
    await sql`drop table if exists feature_layouts`.execute(db);
    await sql`drop table if exists model_snapshots`.execute(db);
  },
};
