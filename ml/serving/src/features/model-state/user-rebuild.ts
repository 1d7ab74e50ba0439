import { createRidgeStats, userFromSnapshot, type BanditModel, type UserStats } from '@oo/bandit';
import type { Executor } from '@oo/db';
import type { MlDatabase } from '../../db/database';
import type { ObservationRow } from './model-state.repository';
import { snapshotUser, userObservations, type UserRowsSnapshot } from './model-users.repository';
import { decodeUserSnapshot, type ObservationApplier } from '@oo/model-state';

const PAGE = 1_000;

// A user's part depends only on the user's own observations, so it is rebuilt on a throwaway
// model with the live one's layout and configuration: the snapshot row, then the log after it.

/**
 * A model sharing `model`'s layout and configuration, with a global part of its own to absorb
 * the replay, holding the user's stored part from `base` (when the snapshot had one).
 *
 * @example
 * const scratch = await scratchWithStoredUser(db, live, base, 'u1');
 */
export async function scratchWithStoredUser(db: Executor<MlDatabase>, model: BanditModel, base: UserRowsSnapshot, userId: string): Promise<BanditModel> {
  const scratch: BanditModel = {
    layout: model.layout,
    config: model.config,
    personalIndex: model.personalIndex,
    global: createRidgeStats(model.layout.names.length, model.config.lambda),
    users: new Map(),
    version: 0,
  };
  const stored = await snapshotUser(db, base, userId);
  if (stored !== undefined) {
    const stats = userFromSnapshot(decodeUserSnapshot(stored), model.personalIndex.length, model.layout.names.length, model.config.userLambda);
    scratch.users.set(userId, stats);
  }
  return scratch;
}

/**
 * Every observation of the user with seq in (after, upTo], in order.
 *
 * @example
 * const rows = await userObservationsBetween(db, 'u1', base.version, model.version);
 */
export async function userObservationsBetween(db: Executor<MlDatabase>, userId: string, after: number, upTo: number): Promise<ObservationRow[]> {
  const rows: ObservationRow[] = [];
  for (let from = after; from < upTo; ) {
    const page = await userObservations(db, userId, from, upTo, PAGE);
    rows.push(...page);
    if (page.length < PAGE) break;
    from = Number(page[page.length - 1]?.seq);
  }
  return rows;
}

/**
 * The user's part at version `upTo`: `base`'s row plus the user's observations after it, or
 * undefined when that leaves them without data (the prior).
 *
 * @example
 * const stats = await rebuildUserAt(db, applier, model, base, 'u1', model.version);
 */
export async function rebuildUserAt(
  db: Executor<MlDatabase>,
  applier: ObservationApplier,
  model: BanditModel,
  base: UserRowsSnapshot,
  userId: string,
  upTo: number,
): Promise<UserStats | undefined> {
  const scratch = await scratchWithStoredUser(db, model, base, userId);
  const rows = await userObservationsBetween(db, userId, base.version, upTo);
  await applier.resolveLayouts(model, rows);
  applier.replayUser(scratch, rows);
  return scratch.users.get(userId);
}
