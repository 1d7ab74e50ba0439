import { inTransaction, type Executor, type Kysely } from '@oo/db';
import type { ProfileDatabase } from '../../db/database';
import type { AnyFeatureDefinition, TipChange } from '../registry/feature-definition';
import type { FeatureRegistry } from '../registry/feature-registry';
import {
  deleteFeatureRows,
  findFeatureRows,
  findNamedFeatureRows,
  lockUserFeatures,
  replaceFeatureRows,
  upsertFeatureRows,
  type FeatureRow,
} from './profile-features.repository';
import { ProfileError } from '../../errors';
import { foldTipChange } from './tip-change-fold';

/** fresh: cached and within its TTL; recomputed: computed by this read; fallback: the user has no data for it. */
export type FeatureStatus = 'fresh' | 'recomputed' | 'fallback';

export interface FeatureReading {
  name: string;
  dtype: AnyFeatureDefinition['dtype'];
  value: number | string;
  computedAt: Date;
  ageSec: number;
  /** How long a value stays fresh before a read recomputes it (the registry's TTL). */
  ttlSec: number;
  status: FeatureStatus;
}

export interface ProfileFeatures {
  userId: string;
  registryVersion: string;
  features: FeatureReading[];
}

interface Recomputation {
  rows: Map<string, FeatureRow>;
  recomputed: Set<string>;
}

/** Injected so TTL expiry is tested without waiting. */
export type Clock = () => Date;

export interface ProfileFeaturesDeps {
  db: Kysely<ProfileDatabase>;
  registry: FeatureRegistry;
  clock: Clock;
}

/**
 * Reads a user's features, recomputing only what is missing, past its TTL, or computed by an
 * older registry version; invalidates them when their inputs change.
 *
 * @example
 * const profile = await features.getProfile('user-1'); // { registryVersion, features: [...] }
 */
export class ProfileFeaturesService {
  private readonly inflight = new Map<string, Promise<Recomputation>>();

  constructor(private readonly deps: ProfileFeaturesDeps) {}

  async getProfile(userId: string): Promise<ProfileFeatures> {
    const now = this.deps.clock();
    const rows = new Map((await findFeatureRows(this.deps.db, userId)).map((r) => [r.name, r]));
    if (this.staleNames(rows, now).length === 0) return this.present(userId, { rows, recomputed: new Set() }, now);
    return this.present(userId, await this.recomputeOnce(userId), this.deps.clock());
  }

  /** Recomputes every feature of the user, whatever its age. */
  async rebuild(userId: string): Promise<ProfileFeatures> {
    return this.present(userId, await this.recompute(userId, true), this.deps.clock());
  }

  /**
   * Deletes the user's features that an event on `subject` invalidates, inside the caller's
   * transaction (the one that also updates the projection), so the next read recomputes at once.
   */
  async invalidate(trx: Executor<ProfileDatabase>, userId: string, subject: string): Promise<number> {
    const names = this.deps.registry.invalidatedBy(subject);
    if (names.length === 0) return 0;
    await lockUserFeatures(trx, userId);
    return deleteFeatureRows(trx, userId, names);
  }

  /**
   * Brings the user's cached features up to date with one projected event, inside the projecting
   * transaction: deletes what `subject` invalidates and folds `change` into what it maintains, so
   * those rows stay warm. Callers must hold `lockUserFeatures` already (the projections take it
   * before they read the change), so the change they read and the rows updated here cannot race
   * another event or a recompute; taking it again here would only cost a round trip.
   */
  async applyEvent(trx: Executor<ProfileDatabase>, userId: string, subject: string, change: TipChange | null): Promise<void> {
    const { registry, clock } = this.deps;
    const maintained = change ? registry.maintainedBy(subject) : [];
    const rows = await findNamedFeatureRows(trx, userId, maintained.map((f) => f.name));
    const fold = foldTipChange(maintained, rows, change, { registryVersion: registry.version, now: clock() });
    const written = new Set(fold.updated.map((r) => r.name));
    const deleted = [...registry.invalidatedBy(subject), ...fold.recompute].filter((name) => !written.has(name));
    await replaceFeatureRows(trx, userId, deleted, fold.updated);
  }

  // Concurrent reads of one user share one recompute.
  private recomputeOnce(userId: string): Promise<Recomputation> {
    const running = this.inflight.get(userId);
    if (running) return running;
    const started = this.recompute(userId, false).finally(() => this.inflight.delete(userId));
    this.inflight.set(userId, started);
    return started;
  }

  private recompute(userId: string, everything: boolean): Promise<Recomputation> {
    const { db, registry, clock } = this.deps;
    return inTransaction(db, async (trx) => {
      await lockUserFeatures(trx, userId);
      const now = clock();
      // Re-read under the lock: another instance may have just done the work.
      const rows = new Map((await findFeatureRows(trx, userId)).map((r) => [r.name, r]));
      const due = everything ? registry.features.map((f) => f.name) : this.staleNames(rows, now);
      const fresh: FeatureRow[] = [];
      for (const feature of registry.features.filter((f) => due.includes(f.name))) {
        const counts = feature.counted ? await feature.counted.counts(userId, trx, now) : null;
        const value = counts && feature.counted ? feature.counted.value(counts) : await feature.compute(userId, trx, now);
        const served = value ?? feature.fallback;
        fresh.push({
          user_id: userId,
          name: feature.name,
          value: typeof served === 'number' ? served : null,
          value_text: typeof served === 'string' ? served : null,
          is_fallback: value === null,
          computed_at: now,
          registry_version: registry.version,
          numerator: counts?.numerator ?? null,
          denominator: counts?.denominator ?? null,
        });
      }
      await upsertFeatureRows(trx, fresh);
      for (const row of fresh) rows.set(row.name, row);
      return { rows, recomputed: new Set(due) };
    });
  }

  private staleNames(rows: Map<string, FeatureRow>, now: Date): string[] {
    const { registry } = this.deps;
    return registry.features
      .filter((f) => {
        const row = rows.get(f.name);
        return !row || row.registry_version !== registry.version || row.computed_at.getTime() + f.ttlSec * 1000 <= now.getTime();
      })
      .map((f) => f.name);
  }

  private present(userId: string, { rows, recomputed }: Recomputation, now: Date): ProfileFeatures {
    const features = this.deps.registry.features.map((f): FeatureReading => {
      const row = rows.get(f.name);
      if (!row) throw new ProfileError('PROFILE_FEATURE_MISSING', `feature ${f.name} missing after recompute`);
      return {
        name: f.name,
        dtype: f.dtype,
        value: (f.dtype === 'numeric' ? row.value : row.value_text) ?? f.fallback,
        computedAt: row.computed_at,
        ageSec: Math.max(0, (now.getTime() - row.computed_at.getTime()) / 1000),
        ttlSec: f.ttlSec,
        status: row.is_fallback ? 'fallback' : recomputed.has(f.name) ? 'recomputed' : 'fresh',
      };
    });
    return { userId, registryVersion: this.deps.registry.version, features };
  }
}
