import type { Kysely, Transaction } from '@oo/db';
import type { DecisionFeaturizer } from '@oo/decision-features';
import type { Logger } from '@oo/logger';
import type { MlDatabase } from '../../db/database';
import type { MlMetrics } from '../../metrics';
import { appendObservations, type NewObservation } from '../model-state/model-state.repository';
import { encodeVector } from '@oo/model-state';
import type { DecisionFeedback, ServedDecision } from './decision-record';
import {
  completeServed,
  insertFeedback,
  insertServed,
  lockDecision,
  lockDueDecisions,
  markSettled,
  setFeedback,
  type DecisionRow,
} from './reward-join.repository';
import { settledOutcome, type RewardRules } from './reward-rules';
import { MlServingError } from '../../errors';

export type Clock = () => Date;

export interface RewardJoinDeps {
  featurizer: DecisionFeaturizer;
  rules: RewardRules;
  log: Logger;
  metrics: MlMetrics;
  clock: Clock;
}

const SWEEP_BATCH = 200;

/**
 * Joins each decision to its reaction and settles it exactly once: the row lock on the decision
 * plus `settled_at` make a second feedback, a redelivered served event or a racing sweeper a
 * no-op, and settling appends the observation in the same transaction.
 */
export class RewardJoin {
  constructor(private readonly deps: RewardJoinDeps) {}

  /** Handles `signals.tip.served` inside the consumer's transaction. */
  async recordServed(trx: Transaction<MlDatabase>, served: ServedDecision): Promise<void> {
    if (await insertServed(trx, served)) return;
    const row = await lockDecision(trx, served.decisionId);
    if (row === undefined) throw new MlServingError('ML_DECISION_VANISHED', `decision ${served.decisionId} vanished while it was being recorded`);
    if (row.served_at !== null) {
      this.deps.log.warn({ decisionId: served.decisionId }, 'a second served event for a decision; the first one stands');
      return;
    }
    // Feedback came first and waited for this event.
    await this.settle(trx, [await completeServed(trx, served)]);
  }

  /** Handles `signals.tip.feedback` inside the consumer's transaction. */
  async recordFeedback(trx: Transaction<MlDatabase>, feedback: DecisionFeedback): Promise<void> {
    const now = this.deps.clock();
    if (await insertFeedback(trx, feedback, now)) return;
    const row = await lockDecision(trx, feedback.decisionId);
    if (row === undefined) throw new MlServingError('ML_DECISION_VANISHED', `decision ${feedback.decisionId} vanished while feedback was being recorded`);
    if (row.settled_at !== null) {
      this.deps.metrics.lateFeedback.inc();
      this.deps.log.info(
        { decisionId: feedback.decisionId, reaction: feedback.reaction, settledAs: row.outcome },
        'feedback after the decision was settled; ignored',
      );
      return;
    }
    if (row.served_at === null) {
      // Still waiting for the served event: a later reaction replaces an earlier one.
      if (row.reacted_at === null || feedback.reactedAt > row.reacted_at) await setFeedback(trx, feedback, now);
      return;
    }
    await this.settle(trx, [await setFeedback(trx, feedback, now)]);
  }

  /**
   * Settles every served decision whose window has passed without a reaction, in batches; each
   * batch is one transaction. Returns how many were settled.
   */
  async sweep(db: Kysely<MlDatabase>): Promise<number> {
    let total = 0;
    for (;;) {
      const cutoff = new Date(this.deps.clock().getTime() - this.deps.rules.windowMs);
      const settled = await db.transaction().execute(async (trx) => {
        const due = await lockDueDecisions(trx, cutoff, SWEEP_BATCH);
        await this.settle(trx, due);
        return due.length;
      });
      total += settled;
      if (settled < SWEEP_BATCH) return total;
    }
  }

  // Builds each decision's model vector under this instance's layout and appends the observations
  // last, so the counter's row lock is held only until commit.
  private async settle(trx: Transaction<MlDatabase>, rows: readonly DecisionRow[]): Promise<void> {
    if (rows.length === 0) return;
    const now = this.deps.clock();
    const { featurizer, rules } = this.deps;
    const entries: NewObservation[] = [];
    for (const row of rows) {
      if (row.served_at === null || row.feature_names === null || row.features === null || row.context === null) {
        throw new MlServingError('ML_DECISION_INCOMPLETE', `decision ${row.decision_id} cannot be settled without its served half`);
      }
      const feedback = row.reaction !== null && row.reacted_at !== null ? { reaction: row.reaction, reactedAt: row.reacted_at } : undefined;
      const { outcome, reward } = settledOutcome(rules, row.served_at, feedback);
      const [x] = featurizer.vectors(row.feature_names, [row.features], row.context);
      if (x === undefined) throw new MlServingError('ML_DECISION_INCOMPLETE', `no model vector for decision ${row.decision_id}`);
      entries.push({
        kind: 'reward',
        decision_id: row.decision_id,
        user_id: row.user_id,
        layout_version: featurizer.builder.layout.version,
        features: encodeVector(x),
        reward,
        outcome,
      });
    }
    await markSettled(trx, entries, now);
    await appendObservations(trx, entries, now);
  }
}
