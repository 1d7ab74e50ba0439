import { createUserStats, type BanditModel } from '@oo/bandit';
import type { Kysely } from '@oo/db';
import type { MlDatabase } from '../../db/database';
import { MlServingError } from '../../errors';
import { lastSeq } from './model-state.repository';
import { newestUserRowsSnapshot, type UserRowsSnapshot } from './model-users.repository';
import type { ObservationApplier } from '@oo/model-state';
import { scratchWithStoredUser, userObservationsBetween } from './user-rebuild';

export interface ResidentUsersOptions {
  db: Kysely<MlDatabase>;
  applier: ObservationApplier;
  /** Users whose part is held in memory; beyond it the least recently used are dropped. */
  max: number;
  /** The model being served right now (it changes on a reload). */
  current: () => BanditModel | undefined;
  /** Applies the log up to what is committed, e.g. when a newer checkpoint superseded ours. */
  catchUp: () => Promise<void>;
}

// Rebuilding can lose a race with a burst of other users' loads; past this many tries the
// request fails (503) rather than be scored without the user's part.
const ATTEMPTS = 5;

/**
 * Which users' parts the live model holds in memory: at most `max`, least recently used (scored
 * or learned) dropped first. `model.users` is the store and, by insertion order, the recency list.
 *
 * While nothing was dropped the map holds every user ("complete"), as a model always did. Users
 * are only dropped once a checkpoint with one row per user (`model_snapshot_users`) exists, so
 * any dropped user's part can be rebuilt exactly: that row plus the user's observations after it.
 * A dropped user's observations meanwhile update the global part only.
 */
export class ResidentUsers {
  private complete = true;
  private evictable = false;
  private pinned = 0;

  constructor(private readonly options: ResidentUsersOptions) {}

  /** After a (re)load: a model read from per-user rows starts with no user in memory. */
  reset(lazy: boolean): void {
    this.complete = !lazy;
    this.evictable = lazy;
  }

  /** True while the map holds every user the model knows. */
  isComplete(): boolean {
    return this.complete;
  }

  /** True when there are more users in memory than allowed but none can be dropped yet. */
  needsRowCheckpoint(model: BanditModel): boolean {
    return !this.evictable && model.users.size > this.options.max;
  }

  /** A checkpoint with user rows now exists at or below the model's version. */
  checkpointed(model: BanditModel): void {
    this.evictable = true;
    this.trim(model);
  }

  /** Whether an observation of `userId` should update their part in memory. */
  keeps(model: BanditModel, userId: string): boolean {
    if (this.complete) return true;
    this.touch(model, userId);
    return model.users.has(userId);
  }

  /** Holds evictions off while a checkpoint reads the users in memory. */
  async whilePinned<T>(run: () => Promise<T>): Promise<T> {
    this.pinned += 1;
    try {
      return await run();
    } finally {
      this.pinned -= 1;
    }
  }

  /** Drops the least recently used users beyond the limit (when allowed). */
  trim(model: BanditModel): void {
    if (!this.evictable || this.pinned > 0) return;
    for (const userId of model.users.keys()) {
      if (model.users.size <= this.options.max) break;
      model.users.delete(userId);
      this.complete = false;
    }
  }

  /**
   * Runs `use` synchronously on the live model with `userId`'s part in memory (rebuilt from
   * Postgres first when it was dropped), so a score never sees a user without their part.
   *
   * @example
   * const response = await users.withUser('u1', (model) => score(model));
   */
  async withUser<T>(userId: string, use: (model: BanditModel) => T): Promise<T> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const model = this.options.current();
      if (model === undefined) throw new MlServingError('ML_MODEL_NOT_READY', 'the model is still loading');
      if (this.complete || model.users.has(userId)) {
        this.touch(model, userId);
        return use(model);
      }
      await this.load(model, userId);
    }
    throw new MlServingError('ML_MODEL_NOT_READY', `the model part of user ${userId} could not be loaded`);
  }

  private touch(model: BanditModel, userId: string): void {
    const stats = model.users.get(userId);
    if (stats === undefined) return;
    model.users.delete(userId);
    model.users.set(userId, stats);
  }

  // Rebuilds the user up to the model's version at the moment of insertion: rows read ahead of
  // the model are left for the applier, rows the model applied meanwhile are read on another pass.
  private async load(model: BanditModel, userId: string): Promise<void> {
    const { db, applier, current } = this.options;
    const base = await this.baseFor(model);
    const scratch = await scratchWithStoredUser(db, model, base, userId);
    for (let covered = base.version; ; ) {
      const last = await lastSeq(db);
      const rows = covered < last ? await userObservationsBetween(db, userId, covered, last) : [];
      await applier.resolveLayouts(model, rows);
      if (current() !== model || this.complete || model.users.has(userId)) return;
      const version = model.version;
      applier.replayUser(
        scratch,
        rows.filter((r) => Number(r.seq) <= version),
      );
      if (version > last) {
        covered = last;
        continue;
      }
      const stats = scratch.users.get(userId) ?? createUserStats(model.personalIndex.length, model.layout.names.length, model.config.userLambda);
      model.users.set(userId, stats);
      this.trim(model);
      return;
    }
  }

  private async baseFor(model: BanditModel): Promise<UserRowsSnapshot> {
    const { db, catchUp } = this.options;
    const found = await newestUserRowsSnapshot(db, model.layout.version, model.version);
    if (found !== undefined) return found;
    // Pruned under us by a checkpoint at a version this instance has not reached yet.
    await catchUp();
    const again = this.options.current() === model ? await newestUserRowsSnapshot(db, model.layout.version, model.version) : undefined;
    if (again === undefined) throw new MlServingError('ML_MODEL_NOT_READY', 'no checkpoint to rebuild users from yet');
    return again;
  }
}
