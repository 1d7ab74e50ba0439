import { fromSnapshot, type BanditModel } from '@oo/bandit';
import type { DecisionFeaturizer, ParsedScoreRequest, ScoreResponse } from '@oo/decision-features';
import type { Logger } from '@oo/logger';
import { ObservationApplier, scoreDecision, type PolicyAssignment, type PolicyCatalog } from '@oo/model-state';
import type { ReplicaSource } from './replica-source';

export interface ModelReplicaOptions {
  source: ReplicaSource;
  featurizer: DecisionFeaturizer;
  log: Logger;
  /** Personal parts held; beyond it the least recently used are dropped and those users are scored by ml-serving. */
  maxUsers: number;
  /** How long one long poll waits for new observations. */
  waitMs: number;
  /** Past this long without a word from ml-serving the replica stops answering (ml-serving, or the fallback, does). */
  maxLagMs: number;
  now?: () => number;
  /** Hears the version after every change (a gauge). */
  onVersion?: (version: number) => void;
}

const RETRY_MS = [250, 1_000, 2_000, 5_000, 10_000];
const STARTUP_GRACE_MS = 30_000;

/**
 * The model ml-serving serves, held here so a decision is scored in process: loaded from
 * ml-serving's replica document, then kept current by applying its observation log in seq order
 * with the same applier ml-serving uses, so at version V it scores exactly as ml-serving does at
 * V and the decision logs V. ml-serving stays the learner and the authority on versions; the
 * replica only answers when it can vouch for the answer (loaded, in contact, same layout, the
 * user's part held or known to be new), and otherwise says so and the caller asks ml-serving.
 */
export class ModelReplica {
  private model: BanditModel | undefined;
  private catalog: PolicyCatalog = new Map();
  private assigned: PolicyAssignment | undefined;
  private complete = false;
  private lastContact = Number.NEGATIVE_INFINITY;
  private reload = true;
  private stopped = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly layouts = new Map<string, readonly string[]>();
  private readonly applier = new ObservationApplier(async (version) => this.layouts.get(version));
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(private readonly options: ModelReplicaOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  start(): void {
    this.running ??= this.follow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.options.source.close();
    await this.running;
  }

  /** The version held, or undefined before the first load. */
  version(): number | undefined {
    return this.model?.version;
  }

  /**
   * The live policy and shadows ml-serving's promotion step last set (ADR 0019), or undefined
   * before any promotion. Kept while ml-serving is unreachable: the last switch heard of stands.
   */
  assignment(): PolicyAssignment | undefined {
    return this.assigned;
  }

  /** The answer ml-serving would give at the replica's version, or undefined when the replica cannot vouch for it. */
  score(request: ParsedScoreRequest): ScoreResponse | undefined {
    const model = this.model;
    if (model === undefined || this.now() - this.lastContact > this.options.maxLagMs) return undefined;
    if (model.layout.version !== this.options.featurizer.builder.layout.version) return undefined;
    if (!request.policies.every((name) => this.catalog.has(name))) return undefined;
    if (!this.holds(model, request.userId)) return undefined;
    return scoreDecision(model, this.options.featurizer, this.catalog, request);
  }

  private async follow(): Promise<void> {
    for (let failures = 0; !this.stopped; ) {
      const model = this.reload ? undefined : this.model;
      const ok = model === undefined ? await this.load() : await this.poll(model);
      if (this.stopped) return;
      failures = ok ? 0 : failures + 1;
      if (!ok) await this.pause(RETRY_MS[Math.min(failures - 1, RETRY_MS.length - 1)] ?? 1_000);
    }
  }

  private async load(): Promise<boolean> {
    const answer = await this.options.source.replica(this.options.maxUsers);
    if (!answer.ok) return this.failed('could not load the model replica', answer.error);
    const { model, complete, policies, assignment } = answer.value;
    try {
      this.model = fromSnapshot(model);
    } catch (err) {
      return this.failed('the model replica is unreadable', err);
    }
    this.catalog = new Map(Object.entries(policies));
    if (assignment) this.assigned = assignment;
    this.complete = complete;
    this.reload = false;
    this.contact();
    this.options.log.info({ modelVersion: this.model.version, users: this.model.users.size, complete }, 'model replica loaded');
    return true;
  }

  private async poll(model: BanditModel): Promise<boolean> {
    const answer = await this.options.source.observationsAfter(model.version, this.options.waitMs);
    if (!answer.ok) {
      if (answer.behind) this.reload = true;
      return answer.behind || this.failed('could not follow the observation log', answer.error);
    }
    for (const [version, names] of Object.entries(answer.value.layouts)) this.layouts.set(version, names);
    if (answer.value.assignment) this.assigned = answer.value.assignment;
    try {
      await this.applier.apply(model, answer.value.rows, undefined, (userId) => this.keeps(model, userId));
    } catch (err) {
      // A skipped position (MODEL_STATE_GAP) or anything else the log cannot do to this copy.
      this.reload = true;
      return this.failed('the observation log does not continue the replica; loading it again', err);
    }
    this.trim(model);
    this.contact();
    return true;
  }

  // While complete, every user the log names gets a part (as in ml-serving); once some were
  // dropped, only users held learn personally — the others learn globally, and are scored remotely.
  private keeps(model: BanditModel, userId: string): boolean {
    return this.complete || this.touch(model, userId);
  }

  private holds(model: BanditModel, userId: string): boolean {
    return this.touch(model, userId) || this.complete;
  }

  private touch(model: BanditModel, userId: string): boolean {
    const stats = model.users.get(userId);
    if (stats === undefined) return false;
    model.users.delete(userId);
    model.users.set(userId, stats);
    return true;
  }

  private trim(model: BanditModel): void {
    for (const userId of model.users.keys()) {
      if (model.users.size <= this.options.maxUsers) break;
      model.users.delete(userId);
      this.complete = false;
    }
  }

  private contact(): void {
    this.lastContact = this.now();
    if (this.model) this.options.onVersion?.(this.model.version);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout((this.wake = resolve), ms);
      timer.unref();
    });
  }

  // ml-serving often comes up after the recommender: until the first load, a failure is news only
  // once it has lasted (decisions are scored by calling ml-serving meanwhile).
  private failed(message: string, err: unknown): false {
    const starting = this.model === undefined && this.now() - this.startedAt < STARTUP_GRACE_MS;
    if (starting) this.options.log.debug({ err }, message);
    else this.options.log.warn({ err }, message);
    return false;
  }
}

