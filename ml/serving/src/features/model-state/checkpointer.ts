import { toSnapshot, type BanditModel } from '@oo/bandit';
import { sql, type Kysely } from '@oo/db';
import type { MlDatabase } from '../../db/database';
import { int8, newestSnapshotVersion, pruneModelState } from './model-state.repository';
import { writeUserRows } from './user-rows-writer';
import { encodeSnapshot, type ObservationApplier } from '@oo/model-state';

export interface CheckpointOptions {
  /** Names the advisory lock, so instances on other schemas never wait for this one. */
  schema: string;
  /** Write only when at least this many observations were learned since the newest snapshot. */
  every: number;
  /** Snapshots to keep. */
  keep: number;
  /** Write even if fewer than `every` observations are new (after a migration or an erasure). */
  force?: boolean;
  now: Date;
  /** False once users were dropped from memory: their rows are carried over or rebuilt. */
  complete: boolean;
  /** Rebuilds users dropped from memory who learned since the previous checkpoint. */
  applier: ObservationApplier;
}

/** What happened, and the newest snapshot version of the model's layout afterwards (when known). */
export type CheckpointOutcome = { outcome: 'written' | 'not-due'; newest: number } | { outcome: 'busy' };

/**
 * Writes a checkpoint of `model` if one is due, as one instance at a time: a transaction-scoped
 * advisory lock, so a crashed writer never holds it. Any instance may be the writer — all hold
 * the same state at the same version. The caller must not change the model meanwhile.
 *
 * Also prunes: old snapshots beyond `keep`, observations no kept snapshot needs, and every
 * snapshot older than the newest erasure it contains (those still hold the erased user's part).
 *
 * @example
 * await checkpointModel(db, model, { schema: 'ml', every: 1000, keep: 3, now: new Date(), complete: true, applier });
 */
export async function checkpointModel(db: Kysely<MlDatabase>, model: BanditModel, options: CheckpointOptions): Promise<CheckpointOutcome> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${`${options.schema}.model_checkpoint`})) as locked`.execute(trx);
    if (!rows[0]?.locked) return { outcome: 'busy' };
    const newest = await newestSnapshotVersion(trx, model.layout.version);
    const due = newest === undefined ? model.version > 0 || options.force === true : model.version - newest >= (options.force ? 1 : options.every);
    if (!due) return { outcome: 'not-due', newest: newest ?? 0 };
    const at = { layoutVersion: model.layout.version, version: model.version };
    // The blob holds the global part; each user goes in a row of model_snapshot_users.
    await trx
      .insertInto('model_snapshots')
      .values({
        layout_version: at.layoutVersion,
        version: model.version,
        snapshot: encodeSnapshot(toSnapshot({ ...model, users: new Map() })),
        users: 0,
        created_at: options.now,
        user_rows: true,
      })
      .onConflict((oc) => oc.columns(['layout_version', 'version']).doNothing())
      .execute();
    const users = await writeUserRows(trx, model, at, options);
    await trx.updateTable('model_snapshots').set({ users }).where('layout_version', '=', at.layoutVersion).where('version', '=', int8(at.version)).execute();
    const erasure = await trx
      .selectFrom('learned_observations')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('kind', '=', 'forget')
      .where('seq', '<=', int8(model.version))
      .executeTakeFirst();
    await pruneModelState(trx, options.keep, erasure?.seq ? Number(erasure.seq) : 0);
    return { outcome: 'written', newest: model.version };
  });
}
