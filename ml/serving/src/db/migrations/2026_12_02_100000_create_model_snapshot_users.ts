import { sql, type Kysely, type Migration } from '@oo/db';

/**
 * Each user's part of a checkpoint in its own row, so an instance can hold only some users in
 * memory and load any other on demand. `user_rows` marks snapshots whose blob holds only the
 * global part; older snapshots keep every user inline and stay readable.
 */
export const createModelSnapshotUsers: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table model_snapshots add column user_rows boolean not null default false`.execute(db);
    await sql`
      create table model_snapshot_users (
        layout_version text not null,
        version bigint not null,
        user_id text not null,
        stats bytea not null,
        primary key (layout_version, version, user_id),
        foreign key (layout_version, version) references model_snapshots (layout_version, version) on delete cascade
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists model_snapshot_users`.execute(db);
    await sql`alter table model_snapshots drop column if exists user_rows`.execute(db);
  },
};
