import {
  createModel,
  fromSnapshot,
  migrateModel,
  userFromSnapshot,
  type BanditModel,
  type FeatureLayout,
  type MigrationReport,
  type ModelConfig,
} from '@oo/bandit';
import type { Executor } from '@oo/db';
import type { MlDatabase } from '../../db/database';
import { lastSeq, newestSnapshot, registerLayout, tailIsComplete, type SnapshotRow } from './model-state.repository';
import { snapshotUsersPage } from './model-users.repository';
import { decodeSnapshot, decodeUserSnapshot, ModelStateError } from '@oo/model-state';

/**
 * Where a loaded model came from; a migrated one should be checkpointed under its new layout.
 * `lazyUsers`: the snapshot stores users in rows, none of which were read (load them on demand).
 */
export type LoadedModel =
  | { source: 'snapshot'; model: BanditModel; lazyUsers: boolean }
  | { source: 'migrated'; model: BanditModel; report: MigrationReport }
  | { source: 'fresh'; model: BanditModel };

function modelFrom(row: SnapshotRow): BanditModel {
  const model = fromSnapshot(decodeSnapshot(row.snapshot));
  // The row's version is the seq of the last observation the snapshot holds; it is the truth.
  model.version = Number(row.version);
  return model;
}

// Migration moves every user's part, so a per-user snapshot is read whole here (a layout change
// is rare; the forced checkpoint after it lets the instance drop users again).
async function withAllUsers(db: Executor<MlDatabase>, row: SnapshotRow, model: BanditModel): Promise<BanditModel> {
  if (!row.user_rows) return model;
  const base = { layoutVersion: row.layout_version, version: Number(row.version) };
  const k = model.personalIndex.length;
  const d = model.layout.names.length;
  for (let after: string | undefined; ; ) {
    const page = await snapshotUsersPage(db, base, after, 500);
    for (const u of page) model.users.set(u.user_id, userFromSnapshot(decodeUserSnapshot(u.stats), k, d, model.config.userLambda));
    if (page.length < 500) return model;
    after = page[page.length - 1]?.user_id;
  }
}

/**
 * Loads the model to serve under `layout`, at some version V; the caller replays the log after V.
 *
 * 1. The newest snapshot of this layout, if the log after it is still complete: exact, and it
 *    keeps what this layout learned on dimensions other layouts do not have. With `lazyUsers`,
 *    users stored in rows are not read: the caller loads each when needed.
 * 2. Otherwise the newest snapshot of any layout, moved onto this one with `migrateModel`
 *    (kept dimensions keep their statistics, new ones start at the prior). The version stays the
 *    snapshot's seq, so the model still names the log position it holds.
 * 3. No snapshot at all: a fresh model at version 0, if the log starts at 1.
 *
 * @example
 * const loaded = await loadModel(db, featurizer.builder.layout, { lambda: 1 });
 */
export async function loadModel(
  db: Executor<MlDatabase>,
  layout: FeatureLayout,
  fresh: Partial<ModelConfig>,
  options: { lazyUsers?: boolean } = {},
): Promise<LoadedModel> {
  await registerLayout(db, layout);
  const own = await newestSnapshot(db, layout.version);
  if (own !== undefined && (await tailIsComplete(db, Number(own.version)))) {
    const lazyUsers = own.user_rows && options.lazyUsers === true;
    return { source: 'snapshot', model: lazyUsers ? modelFrom(own) : await withAllUsers(db, own, modelFrom(own)), lazyUsers };
  }
  const newest = await newestSnapshot(db);
  if (newest !== undefined) {
    if (!(await tailIsComplete(db, Number(newest.version)))) {
      throw new ModelStateError('MODEL_STATE_GAP', `observations after snapshot ${newest.layout_version}/${newest.version} were pruned`);
    }
    const stored = await withAllUsers(db, newest, modelFrom(newest));
    const { model, report } = migrateModel(stored, layout);
    model.version = stored.version;
    return { source: 'migrated', model, report };
  }
  if ((await lastSeq(db)) > 0 && !(await tailIsComplete(db, 0))) {
    throw new ModelStateError('MODEL_STATE_GAP', 'there is no snapshot and the observation log no longer starts at 1');
  }
  return { source: 'fresh', model: createModel(layout, fresh) };
}
