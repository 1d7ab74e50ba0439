import { sql, type Executor } from '@oo/db';
import type { MlDatabase } from '../../db/database';
import { int8, type ObservationRow } from './model-state.repository';

/** A checkpoint whose users are stored one per row, found as a base to rebuild users from. */
export interface UserRowsSnapshot {
  layoutVersion: string;
  version: number;
}

/** The newest snapshot of `layoutVersion` with user rows at or below `atMost`. */
export async function newestUserRowsSnapshot(db: Executor<MlDatabase>, layoutVersion: string, atMost: number): Promise<UserRowsSnapshot | undefined> {
  const row = await db
    .selectFrom('model_snapshots')
    .select('version')
    .where('layout_version', '=', layoutVersion)
    .where('user_rows', '=', true)
    .where('version', '<=', int8(atMost))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { layoutVersion, version: Number(row.version) };
}

/** One user's stored part in a snapshot, or undefined when the snapshot had nothing of them. */
export async function snapshotUser(db: Executor<MlDatabase>, base: UserRowsSnapshot, userId: string): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('model_snapshot_users')
    .select('stats')
    .where('layout_version', '=', base.layoutVersion)
    .where('version', '=', int8(base.version))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.stats;
}

/** A page of a snapshot's user rows, in user id order, after `afterUserId`. */
export async function snapshotUsersPage(
  db: Executor<MlDatabase>,
  base: UserRowsSnapshot,
  afterUserId: string | undefined,
  limit: number,
): Promise<{ user_id: string; stats: Buffer }[]> {
  let query = db
    .selectFrom('model_snapshot_users')
    .select(['user_id', 'stats'])
    .where('layout_version', '=', base.layoutVersion)
    .where('version', '=', int8(base.version));
  if (afterUserId !== undefined) query = query.where('user_id', '>', afterUserId);
  return query.orderBy('user_id').limit(limit).execute();
}

/** The user's observations (learned rewards and erasures) with seq in (after, upTo], in order. */
export async function userObservations(db: Executor<MlDatabase>, userId: string, after: number, upTo: number, limit: number): Promise<ObservationRow[]> {
  return db
    .selectFrom('learned_observations')
    .selectAll()
    .where('user_id', '=', userId)
    .where('seq', '>', int8(after))
    .where('seq', '<=', int8(upTo))
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Writes user rows of a snapshot; a row already written for the user wins. */
export async function insertSnapshotUsers(db: Executor<MlDatabase>, at: UserRowsSnapshot, users: readonly { userId: string; stats: Buffer }[]): Promise<void> {
  if (users.length === 0) return;
  await db
    .insertInto('model_snapshot_users')
    .values(users.map((u) => ({ layout_version: at.layoutVersion, version: at.version, user_id: u.userId, stats: u.stats })))
    .onConflict((oc) => oc.columns(['layout_version', 'version', 'user_id']).doNothing())
    .execute();
}

/**
 * Copies into snapshot `to` the rows of snapshot `from` whose user learned nothing and was not
 * erased in between: their part is unchanged. Rows already written at `to` win.
 */
export async function copyUnchangedUsers(db: Executor<MlDatabase>, from: UserRowsSnapshot, to: UserRowsSnapshot): Promise<void> {
  await sql`
    insert into model_snapshot_users (layout_version, version, user_id, stats)
    select ${to.layoutVersion}, ${int8(to.version)}, s.user_id, s.stats
    from model_snapshot_users s
    where s.layout_version = ${from.layoutVersion} and s.version = ${int8(from.version)}
      and not exists (
        select 1 from learned_observations o
        where o.user_id = s.user_id and o.seq > ${int8(from.version)} and o.seq <= ${int8(to.version)}
      )
    on conflict (layout_version, version, user_id) do nothing`.execute(db);
}

/**
 * Users after `afterUserId` (in id order) with observations in (from, to] and no row at snapshot
 * `to` yet: the ones a checkpoint must rebuild.
 */
export async function changedUsersWithoutRow(
  db: Executor<MlDatabase>,
  from: number,
  to: UserRowsSnapshot,
  afterUserId: string,
  limit: number,
): Promise<string[]> {
  const { rows } = await sql<{ user_id: string }>`
    select distinct o.user_id from learned_observations o
    where o.user_id is not null and o.user_id > ${afterUserId} and o.seq > ${int8(from)} and o.seq <= ${int8(to.version)}
      and not exists (
        select 1 from model_snapshot_users s
        where s.layout_version = ${to.layoutVersion} and s.version = ${int8(to.version)} and s.user_id = o.user_id
      )
    order by o.user_id
    limit ${limit}`.execute(db);
  return rows.map((r) => r.user_id);
}

/** How many users a snapshot stores. */
export async function countSnapshotUsers(db: Executor<MlDatabase>, at: UserRowsSnapshot): Promise<number> {
  const row = await db
    .selectFrom('model_snapshot_users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('layout_version', '=', at.layoutVersion)
    .where('version', '=', int8(at.version))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A stored checkpoint as `GET /v1/models` lists it. */
export interface CheckpointSummary {
  layoutVersion: string;
  version: number;
  users: number;
  createdAt: string;
}

/**
 * Stored checkpoints, newest first (by version, then layout), after `before` when given.
 *
 * @example
 * const page = await listCheckpoints(db, 51);
 */
export async function listCheckpoints(
  db: Executor<MlDatabase>,
  limit: number,
  before?: { version: number; layoutVersion: string },
): Promise<CheckpointSummary[]> {
  let query = db.selectFrom('model_snapshots').select(['layout_version', 'version', 'users', 'created_at']);
  if (before) query = query.where(sql<boolean>`(version, layout_version) < (${int8(before.version)}::bigint, ${before.layoutVersion})`);
  const rows = await query.orderBy('version', 'desc').orderBy('layout_version', 'desc').limit(limit).execute();
  return rows.map((r) => ({ layoutVersion: r.layout_version, version: Number(r.version), users: r.users, createdAt: r.created_at.toISOString() }));
}
