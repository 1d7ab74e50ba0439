import { modelVersion, type BanditModel, type FeatureLayout, type ModelConfig } from '@oo/bandit';
import { listenForNotifications, type Kysely, type NotificationListener } from '@oo/db';
import { OBSERVATIONS_CHANNEL } from '../../db/migrations/2026_11_22_100100_create_model_state';
import type { Logger } from '@oo/logger';
import type { MlDatabase } from '../../db/database';
import type { MlMetrics } from '../../metrics';
import { checkpointModel } from './checkpointer';
import { loadModel } from './model-loader';
import { layoutNames, observationsAfter } from './model-state.repository';
import { listCheckpoints, newestUserRowsSnapshot, type CheckpointSummary } from './model-users.repository';
import { ModelStateError, ObservationApplier } from '@oo/model-state';
import { ResidentUsers } from './resident-users';

export interface LiveModelOptions {
  db: Kysely<MlDatabase>;
  layout: FeatureLayout;
  log: Logger;
  metrics: MlMetrics;
  clock: () => Date;
  databaseUrl: string;
  schema: string;
  freshConfig: Partial<ModelConfig>;
  pollIntervalMs: number;
  checkpointEvery: number;
  snapshotRetention: number;
  /** Users whose personal part stays in memory (least recently used dropped beyond it); unbounded by default. */
  maxUsersInMemory?: number;
}

/** What `GET /v1/models/current` reports. */
export interface ModelStatus {
  layoutVersion: string;
  version: string;
  observations: number;
  users: number;
  layout: readonly string[];
  updatedAt: string;
}

const BATCH = 500;
const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000];

/**
 * The model this instance serves: loaded from the newest usable snapshot, then kept current by
 * applying the shared observation log in seq order (woken by NOTIFY at each commit, with a poll
 * as a fallback). Every instance applying the same log holds the same state at the same version.
 */
export class LiveModel {
  private model: BanditModel | undefined;
  private reloadReason: string | undefined = 'start';
  private caughtUp = false;
  private lastCheckpoint = 0;
  private forceCheckpoint = false;
  private updatedAt = new Date(0);
  private readonly applier: ObservationApplier;
  private readonly users: ResidentUsers;
  private listener: NotificationListener | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly waiters = new Set<() => void>();
  private resolveLoaded!: () => void;
  /** Resolves once the model is loaded and caught up with the log for the first time. */
  readonly loaded = new Promise<void>((resolve) => (this.resolveLoaded = resolve));

  constructor(private readonly options: LiveModelOptions) {
    this.applier = new ObservationApplier((version) => layoutNames(options.db, version), (row, err) =>
      options.log.error({ err, seq: row.seq, decisionId: row.decision_id }, 'observation cannot be learned; every instance skips it'),
    );
    this.users = new ResidentUsers({
      db: options.db,
      applier: this.applier,
      max: options.maxUsersInMemory ?? Number.POSITIVE_INFINITY,
      current: () => this.model,
      catchUp: () => this.catchUp(),
    });
  }

  /** Starts loading (retrying while the database is unavailable) and following the log. */
  start(): void {
    const { databaseUrl, schema, log, pollIntervalMs } = this.options;
    this.listener = listenForNotifications({
      url: databaseUrl,
      channel: OBSERVATIONS_CHANNEL,
      payload: schema,
      applicationName: `${schema}-observation-listener`,
      onNotify: () => void this.catchUp(),
      onProblem: (err, what) => log.warn({ err, schema }, `observation listener ${what}`),
    });
    this.pollTimer = setInterval(() => void this.catchUp(), pollIntervalMs);
    this.pollTimer.unref();
    void this.catchUp();
  }

  /** True once the model is loaded and has caught up with the log; stays true across reloads. */
  isReady(): boolean {
    return this.caughtUp;
  }

  /** The model to score with, or undefined until loaded; the reference changes only on reload. */
  current(): BanditModel | undefined {
    return this.model;
  }

  /**
   * Runs `use` synchronously on the model with `userId`'s personal part in memory, rebuilding it
   * from Postgres first if it was dropped; scores come out as if it had never left.
   *
   * @example
   * const response = await live.withUser(request.userId, (model) => scoreWith(model, request));
   */
  withUser<T>(userId: string, use: (model: BanditModel) => T): Promise<T> {
    return this.users.withUser(userId, use);
  }

  /** True while every user the model knows has their part in memory. */
  holdsEveryUser(): boolean {
    return this.users.isComplete();
  }

  /**
   * Resolves once the model is past `version` (at once if it already is), after `ms` at most, or
   * at shutdown: a replica's long poll.
   */
  whenPast(version: number, ms: number): Promise<void> {
    if ((this.model?.version ?? -1) > version || ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        if ((this.model?.version ?? -1) <= version && !this.stopped && !timedOut) return;
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        done();
      }, ms);
      this.waiters.add(done);
    });
  }

  status(): ModelStatus | undefined {
    const model = this.model;
    if (model === undefined) return undefined;
    return {
      layoutVersion: model.layout.version,
      version: modelVersion(model),
      observations: model.version,
      users: model.users.size,
      layout: model.layout.names,
      updatedAt: this.updatedAt.toISOString(),
    };
  }

  /** Stored checkpoints of every layout, newest first; `before` continues a listing. */
  checkpoints(limit: number, before?: { version: number; layoutVersion: string }): Promise<CheckpointSummary[]> {
    return listCheckpoints(this.options.db, limit, before);
  }

  /** Applies every committed observation not yet applied; calls while one runs coalesce into one more run. */
  catchUp(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        void this.catchUp();
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    for (const waiter of [...this.waiters]) waiter();
    this.wake?.();
    await this.listener?.close();
    await this.running;
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopped; failures++) {
      try {
        if (this.reloadReason !== undefined) await this.load(this.reloadReason);
        await this.follow();
        this.caughtUp = true;
        this.resolveLoaded();
        return;
      } catch (err) {
        const gap = err instanceof ModelStateError && err.code === 'MODEL_STATE_GAP';
        this.options.log.error({ err }, gap ? 'the observation log moved past this model; reloading' : 'model update failed; retrying');
        if (gap) this.reloadReason = 'gap';
        await this.pause(RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 1_000);
      }
    }
  }

  // A reload builds the new model aside and swaps it in: scoring goes on with the old one meanwhile.
  private async load(reason: string): Promise<void> {
    const { db, layout, log, metrics, freshConfig } = this.options;
    const loaded = await loadModel(db, layout, freshConfig, { lazyUsers: Number.isFinite(this.options.maxUsersInMemory ?? Number.POSITIVE_INFINITY) });
    if (loaded.source === 'migrated') {
      const { kept, added, removed, fromVersion } = loaded.report;
      log.warn({ fromLayout: fromVersion, toLayout: layout.version, kept: kept.length, added, removed }, 'migrated the model onto the current layout');
      this.forceCheckpoint = true;
    }
    this.lastCheckpoint = loaded.source === 'snapshot' ? loaded.model.version : 0;
    metrics.modelReloads.inc({ reason: `${reason}:${loaded.source}` });
    this.users.reset(loaded.source === 'snapshot' && loaded.lazyUsers);
    this.model = loaded.model;
    this.reloadReason = undefined;
    this.touch(loaded.model);
    log.info({ version: modelVersion(loaded.model), source: loaded.source }, 'model loaded');
  }

  private async follow(): Promise<void> {
    const model = this.model;
    if (model === undefined) return;
    for (;;) {
      const rows = await observationsAfter(this.options.db, model.version, BATCH);
      if (rows.length === 0) break;
      const onApplied = (row: (typeof rows)[number]): void => {
        if (row.kind === 'forget') this.forceCheckpoint = true;
        if (row.outcome !== null) this.options.metrics.decisionsLearned.inc({ outcome: row.outcome });
      };
      await this.applier.apply(model, rows, onApplied, (userId) => this.users.keeps(model, userId));
      this.users.trim(model);
      this.touch(model);
    }
    // Users can be dropped from memory only once a checkpoint stores each in its own row.
    if (this.users.needsRowCheckpoint(model)) this.forceCheckpoint = true;
    if (this.forceCheckpoint || model.version - this.lastCheckpoint >= this.options.checkpointEvery) await this.checkpoint(model);
  }

  private async checkpoint(model: BanditModel): Promise<void> {
    const { db, schema, checkpointEvery, snapshotRetention, clock, log } = this.options;
    const options = { schema, every: checkpointEvery, keep: snapshotRetention, force: this.forceCheckpoint, now: clock(), applier: this.applier };
    const result = await this.users.whilePinned(() => checkpointModel(db, model, { ...options, complete: this.users.isComplete() }));
    // Busy: another instance is writing one; the next run looks again.
    if (result.outcome === 'busy') return;
    if (result.outcome === 'written') log.info({ version: modelVersion(model) }, 'model checkpoint written');
    if (result.outcome === 'written' || (await newestUserRowsSnapshot(db, model.layout.version, model.version)) !== undefined) this.users.checkpointed(model);
    this.lastCheckpoint = result.newest;
    this.forceCheckpoint = false;
  }

  private touch(model: BanditModel): void {
    this.updatedAt = this.options.clock();
    this.options.metrics.modelObservations.set(model.version);
    for (const waiter of [...this.waiters]) waiter();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
