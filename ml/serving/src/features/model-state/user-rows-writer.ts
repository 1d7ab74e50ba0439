import { userToSnapshot, type BanditModel } from '@oo/bandit';
import type { Transaction } from '@oo/db';
import type { MlDatabase } from '../../db/database';
import {
  changedUsersWithoutRow,
  copyUnchangedUsers,
  countSnapshotUsers,
  insertSnapshotUsers,
  newestUserRowsSnapshot,
  type UserRowsSnapshot,
} from './model-users.repository';
import { encodeUserSnapshot, ModelStateError, type ObservationApplier } from '@oo/model-state';
import { rebuildUserAt } from './user-rebuild';

const BATCH = 100;

/**
 * Writes every user's part of the checkpoint `at` as one row each, and returns how many:
 * 1. the users in memory, from memory;
 * 2. when some were dropped from memory (`complete` false), the rows of the previous per-user
 *    checkpoint whose user learned nothing since, copied in SQL;
 * 3. and the dropped users who learned since, rebuilt from that row and the log, `BATCH` at a time.
 * Users without data (the prior) get no row. Memory stays bounded by the users already held.
 *
 * @example
 * const users = await writeUserRows(trx, model, { layoutVersion: model.layout.version, version: model.version }, { complete, applier });
 */
export async function writeUserRows(
  trx: Transaction<MlDatabase>,
  model: BanditModel,
  at: UserRowsSnapshot,
  options: { complete: boolean; applier: ObservationApplier },
): Promise<number> {
  const resident = [...model.users.entries()].filter(([, stats]) => stats.count > 0);
  for (let i = 0; i < resident.length; i += BATCH) {
    const rows = resident.slice(i, i + BATCH).map(([userId, stats]) => ({ userId, stats: encodeUserSnapshot(userToSnapshot(stats)) }));
    await insertSnapshotUsers(trx, at, rows);
  }
  if (!options.complete) {
    const base = await newestUserRowsSnapshot(trx, at.layoutVersion, at.version - 1);
    if (base === undefined) throw new ModelStateError('MODEL_STATE_GAP', 'users were dropped from memory but no per-user checkpoint is left to carry them over');
    await copyUnchangedUsers(trx, base, at);
    for (let after = ''; ; ) {
      const changed = await changedUsersWithoutRow(trx, base.version, at, after, BATCH);
      const rows: { userId: string; stats: Buffer }[] = [];
      for (const userId of changed) {
        const stats = await rebuildUserAt(trx, options.applier, model, base, userId, at.version);
        if (stats !== undefined && stats.count > 0) rows.push({ userId, stats: encodeUserSnapshot(userToSnapshot(stats)) });
      }
      await insertSnapshotUsers(trx, at, rows);
      if (changed.length < BATCH) break;
      after = changed[changed.length - 1] ?? after;
    }
  }
  return countSnapshotUsers(trx, at);
}
