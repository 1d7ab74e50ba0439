import { alignVector, BanditError, createLayout, updateModel, type BanditModel, type FeatureLayout } from '@oo/bandit';
import { forgetByKey } from './forget-key';
import { ModelStateError } from './model-state-error';
import type { ObservationRow } from './observation-row';
import { decodeVector } from './vector-codec';

/**
 * Applies observations from the log to a model, strictly in seq order, so that every instance
 * that applies the same log reaches the same state: `model.version` is always the seq of the last
 * observation applied.
 */
export class ObservationApplier {
  private readonly layouts = new Map<string, FeatureLayout>();

  /**
   * `layoutNames` reads a stored layout (`feature_layouts`); `onInvalid` hears of an observation
   * the model rejects, which is skipped, the same way on every instance.
   */
  constructor(
    private readonly layoutNames: (version: string) => Promise<readonly string[] | undefined>,
    private readonly onInvalid: (row: ObservationRow, err: unknown) => void = () => undefined,
  ) {}

  /**
   * Learns `rows` (ascending seq). Throws `MODEL_STATE_GAP` when the next row is not the
   * model's version + 1 — the log was pruned past this model — so the caller reloads.
   * Resolves the layouts first, then applies synchronously: a score never sees half a batch.
   */
  async apply<Row extends ObservationRow>(
    model: BanditModel,
    rows: readonly Row[],
    onApplied?: (row: Row) => void,
    keepsUser: (userId: string) => boolean = () => true,
  ): Promise<void> {
    await this.resolveLayouts(model, rows);
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq <= model.version) continue;
      if (seq !== model.version + 1) {
        throw new ModelStateError('MODEL_STATE_GAP', `the model is at ${model.version} but the next stored observation is ${seq}`);
      }
      if (row.kind === 'forget') {
        if (row.user_id !== null) forgetByKey(model, row.user_id);
      } else {
        // A user not held in memory learns only globally here; their part is rebuilt from the
        // log when next needed, so it comes out the same.
        this.learn(model, row, row.user_id !== null && keepsUser(row.user_id));
      }
      // A forget does not count a user the model never knew; the log's seq is the version either way.
      model.version = seq;
      onApplied?.(row);
    }
  }

  /**
   * Replays one user's observations (ascending seq, any gaps) into `model` exactly as `apply`
   * would have: rejected rows are skipped, a `forget` drops the user. For rebuilding a user's
   * part on a scratch model; `model.version` is not touched. Call `resolveLayouts` first.
   */
  replayUser(model: BanditModel, rows: readonly ObservationRow[]): void {
    for (const row of rows) {
      if (row.kind === 'forget') {
        if (row.user_id !== null) forgetByKey(model, row.user_id);
      } else {
        this.learn(model, row, true, false);
      }
    }
  }

  /** Reads the layouts `rows` were settled under, so applying them needs no more I/O. */
  async resolveLayouts(model: BanditModel, rows: readonly ObservationRow[]): Promise<void> {
    for (const row of rows) {
      if (row.layout_version !== null && row.layout_version !== model.layout.version) await this.layout(row.layout_version);
    }
  }

  // What the model rejects (a non-finite value, a wrong length) depends only on the row, so every
  // instance skips the same rows and they all stay in step.
  private learn(model: BanditModel, row: ObservationRow, personal: boolean, report = true): void {
    try {
      const userId = personal ? (row.user_id ?? undefined) : undefined;
      updateModel(model, { userId, features: this.vectorFor(model, row), reward: row.reward ?? Number.NaN });
    } catch (err) {
      if (!(err instanceof BanditError || (err instanceof ModelStateError && err.code === 'INVALID_OBSERVATION') || err instanceof RangeError)) throw err;
      if (report) this.onInvalid(row, err);
    }
  }

  // A vector settled by an instance on another layout (a rolling deploy) is re-expressed by name:
  // shared dimensions keep their value, new ones read 0 — the same convention as migrateModel.
  private vectorFor(model: BanditModel, row: ObservationRow): Float64Array {
    if (row.features === null || row.layout_version === null) {
      throw new ModelStateError('INVALID_OBSERVATION', `observation ${row.seq} has no features`);
    }
    const x = decodeVector(row.features);
    if (row.layout_version === model.layout.version) return x;
    const from = this.layouts.get(row.layout_version);
    if (from === undefined) throw new ModelStateError('UNKNOWN_LAYOUT', `layout ${row.layout_version} is not registered`);
    return alignVector(from, model.layout, x);
  }

  private async layout(version: string): Promise<FeatureLayout> {
    const known = this.layouts.get(version);
    if (known) return known;
    const names = await this.layoutNames(version);
    if (names === undefined) throw new ModelStateError('UNKNOWN_LAYOUT', `layout ${version} is not registered`);
    const layout = createLayout(names);
    this.layouts.set(version, layout);
    return layout;
  }
}
