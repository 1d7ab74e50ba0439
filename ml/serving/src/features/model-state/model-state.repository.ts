import { sql, type Executor, type Insertable, type Selectable, type Transaction } from '@oo/db';
import type { FeatureLayout } from '@oo/bandit';
import type { LearnedObservationsTable, MlDatabase, ModelSnapshotsTable } from '../../db/database';

/** int8 columns read as strings (pg keeps 64-bit exact); comparisons take the same form. */
export function int8(n: number): string {
  return String(n);
}

export type ObservationRow = Selectable<LearnedObservationsTable>;
/** An observation to append; its seq is assigned by `appendObservations`. */
export type NewObservation = Omit<Insertable<LearnedObservationsTable>, 'seq' | 'learned_at'>;

/**
 * Appends observations with the next seqs. The counter row is locked until the caller's commit,
 * so seqs are handed out in commit order and a reader that sees seq n sees every seq below it;
 * a rollback returns the seqs. Call it last in the transaction: the lock serialises settlements.
 */
export async function appendObservations(trx: Transaction<MlDatabase>, entries: readonly NewObservation[], learnedAt: Date): Promise<number> {
  if (entries.length === 0) return 0;
  const { seq } = await trx
    .updateTable('observation_counter')
    .set({ seq: sql`seq + ${entries.length}` })
    .where('id', '=', 1)
    .returning('seq')
    .executeTakeFirstOrThrow();
  const first = Number(seq) - entries.length + 1;
  await trx
    .insertInto('learned_observations')
    .values(entries.map((e, i) => ({ ...e, seq: first + i, learned_at: learnedAt })))
    .execute();
  return Number(seq);
}

/** Observations after `seq`, in order. */
export async function observationsAfter(db: Executor<MlDatabase>, seq: number, limit: number): Promise<ObservationRow[]> {
  return db.selectFrom('learned_observations').selectAll().where('seq', '>', int8(seq)).orderBy('seq').limit(limit).execute();
}

/** The last seq handed out (committed). */
export async function lastSeq(db: Executor<MlDatabase>): Promise<number> {
  const row = await db.selectFrom('observation_counter').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.seq);
}

/** True when the observation right after `seq` is still stored (nothing between was pruned). */
export async function tailIsComplete(db: Executor<MlDatabase>, seq: number): Promise<boolean> {
  if ((await lastSeq(db)) === seq) return true;
  const next = await db.selectFrom('learned_observations').select('seq').where('seq', '=', int8(seq + 1)).executeTakeFirst();
  return next !== undefined;
}

/** Records a layout's names so vectors and snapshots under it stay readable by name. */
export async function registerLayout(db: Executor<MlDatabase>, layout: FeatureLayout): Promise<void> {
  await db
    .insertInto('feature_layouts')
    .values({ version: layout.version, names: JSON.stringify(layout.names) })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
}

/** The names of a stored layout, or undefined for one never registered. */
export async function layoutNames(db: Executor<MlDatabase>, version: string): Promise<string[] | undefined> {
  const row = await db.selectFrom('feature_layouts').select('names').where('version', '=', version).executeTakeFirst();
  return row?.names;
}

export type SnapshotRow = Selectable<ModelSnapshotsTable>;

/** The newest snapshot, of one layout or of any. */
export async function newestSnapshot(db: Executor<MlDatabase>, layoutVersion?: string): Promise<SnapshotRow | undefined> {
  let query = db.selectFrom('model_snapshots').selectAll();
  if (layoutVersion !== undefined) query = query.where('layout_version', '=', layoutVersion);
  return query.orderBy('version', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** The version of the newest snapshot of a layout, without reading the snapshot. */
export async function newestSnapshotVersion(db: Executor<MlDatabase>, layoutVersion: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('model_snapshots')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('layout_version', '=', layoutVersion)
    .executeTakeFirst();
  return row?.version === null || row?.version === undefined ? undefined : Number(row.version);
}

/** Stores a checkpoint; a second writer of the same (layout, version) holds the same state, so it is dropped. */
export async function insertSnapshot(db: Executor<MlDatabase>, row: Insertable<ModelSnapshotsTable>): Promise<void> {
  await db
    .insertInto('model_snapshots')
    .values(row)
    .onConflict((oc) => oc.columns(['layout_version', 'version']).doNothing())
    .execute();
}

/**
 * Keeps the `keep` newest snapshots and the observations needed to replay from the oldest of
 * them. `supersedeBelow` (after an erasure) also drops every snapshot older than that version,
 * since they still hold the erased user's part; observations are scrubbed separately.
 */
export async function pruneModelState(
  db: Executor<MlDatabase>,
  keep: number,
  supersedeBelow = 0,
): Promise<{ snapshots: number; observations: number }> {
  const kept = await db.selectFrom('model_snapshots').select('version').orderBy('version', 'desc').limit(keep).execute();
  if (kept.length === 0) return { snapshots: 0, observations: 0 };
  const floor = Math.min(...kept.map((r) => Number(r.version)));
  const snapshots = await db.deleteFrom('model_snapshots').where('version', '<', int8(Math.max(floor, supersedeBelow))).executeTakeFirst();
  const observations = await db.deleteFrom('learned_observations').where('seq', '<=', int8(floor)).executeTakeFirst();
  return { snapshots: Number(snapshots.numDeletedRows), observations: Number(observations.numDeletedRows) };
}
