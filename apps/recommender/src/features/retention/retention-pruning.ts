import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { RecommenderDatabase } from '../../db/database';
import type { Clock } from '../decisions/recommend.service';
import { pruneNudgeSlotsBatch } from '../nudges/nudges.repository';
import { pruneDecisionsBatch, pruneTombstonesBatch } from './retention.repository';

const DAY_MS = 86_400_000;
// A slot row only has to outlive its hour; two days cover every zone and a late instance.
const NUDGE_SLOT_KEEP_MS = 2 * DAY_MS;

export interface RetentionPruningOptions {
  db: Kysely<RecommenderDatabase>;
  log: Logger;
  clock: Clock;
  /** Decisions (with their feedback) and task tombstones older than this go. */
  retentionDays: number;
  /** Between rounds (default 1 h); the first round runs at start. */
  intervalMs?: number;
  /** Rows per delete statement (default 1000). */
  batchSize?: number;
  /** Batches per table and round (default 100); the rest waits for the next round. */
  maxBatches?: number;
}

/** Rows deleted by one round. */
export interface RetentionRound {
  decisions: number;
  tombstones: number;
  nudgeSlots: number;
}

export interface RetentionPruning {
  /** Runs a round now (or joins the one running) and resolves with what it deleted. */
  prune(): Promise<RetentionRound>;
  /** Stops the timer and waits for a round in flight. */
  stop(): Promise<void>;
}

/**
 * Keeps the recommender's tables bounded: on a timer, deletes in bounded batches the decisions
 * (and their feedback) and task tombstones older than the retention, and nudge slots older than
 * two days (the kit forgets erased users). Several instances may run it: the deletes do not conflict.
 *
 * @example
 * const pruning = startRetentionPruning({ db, log, clock, retentionDays: config.DECISION_RETENTION_DAYS });
 * // on shutdown
 * await pruning.stop();
 */
export function startRetentionPruning(options: RetentionPruningOptions): RetentionPruning {
  const { db, log, clock } = options;
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 100;
  let running: Promise<RetentionRound> | undefined;
  let stopped = false;

  const drain = async (deleteBatch: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (let batch = 0; batch < maxBatches && !stopped; batch++) {
      const deleted = await deleteBatch();
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  };

  const round = async (): Promise<RetentionRound> => {
    const before = new Date(clock().getTime() - options.retentionDays * DAY_MS);
    const decisions = await drain(() => pruneDecisionsBatch(db, before, batchSize));
    const tombstones = await drain(() => pruneTombstonesBatch(db, before, batchSize));
    const nudgeSlots = await drain(() => pruneNudgeSlotsBatch(db, new Date(clock().getTime() - NUDGE_SLOT_KEEP_MS), batchSize));
    return { decisions, tombstones, nudgeSlots };
  };

  const prune = (): Promise<RetentionRound> => {
    running ??= round()
      .then((deleted) => {
        if (deleted.decisions + deleted.tombstones + deleted.nudgeSlots > 0) log.info({ ...deleted, retentionDays: options.retentionDays }, 'pruned rows past retention');
        return deleted;
      })
      .finally(() => (running = undefined));
    return running;
  };
  const tick = (): void => {
    prune().catch((err: unknown) => log.warn({ err }, 'retention pruning failed; will retry'));
  };

  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  timer.unref();
  tick();
  return {
    prune,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
