import { fixedSql, sql, type Executor, type Selectable, type Transaction } from '@oo/db';
import type { DecisionsTable, MlDatabase, Outcome } from '../../db/database';
import type { DecisionFeedback, ServedDecision } from './decision-record';

export type DecisionRow = Selectable<DecisionsTable>;

function servedColumns(served: ServedDecision) {
  return {
    served_at: served.servedAt,
    policy: served.policy,
    model_version: served.modelVersion,
    fallback: served.fallback,
    propensity: served.propensity,
    feature_names: JSON.stringify(served.featureNames),
    features: JSON.stringify(served.features),
    context: JSON.stringify(served.context),
  };
}

/**
 * Opens the row with the served half. False when a row already exists: `on conflict do nothing`
 * waits for a concurrent writer of the same decision to commit, so the caller's next statement
 * (`lockDecision`) sees its row — the two halves can never miss each other.
 */
export async function insertServed(trx: Transaction<MlDatabase>, served: ServedDecision): Promise<boolean> {
  // Once per served decision: a fixed statement, not a query tree compiled on every event.
  const c = servedColumns(served);
  const { rows } = await fixedSql<{ decision_id: string }>`
    insert into decisions (decision_id, user_id, served_at, policy, model_version, fallback, propensity, feature_names, features, context)
    values (${served.decisionId}, ${served.userId}, ${c.served_at}, ${c.policy}, ${c.model_version}, ${c.fallback}, ${c.propensity}, ${c.feature_names}, ${c.features}, ${c.context})
    on conflict (decision_id) do nothing
    returning decision_id`.execute(trx);
  return rows.length > 0;
}

/** Opens the row with the feedback half (feedback before its served event); false when a row exists. */
export async function insertFeedback(trx: Transaction<MlDatabase>, feedback: DecisionFeedback, receivedAt: Date): Promise<boolean> {
  const inserted = await trx
    .insertInto('decisions')
    .values({
      decision_id: feedback.decisionId,
      user_id: feedback.userId,
      reaction: feedback.reaction,
      reacted_at: feedback.reactedAt,
      feedback_received_at: receivedAt,
    })
    .onConflict((oc) => oc.column('decision_id').doNothing())
    .returning('decision_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The decision's row, locked until the caller commits. */
export async function lockDecision(trx: Transaction<MlDatabase>, decisionId: string): Promise<DecisionRow | undefined> {
  return trx.selectFrom('decisions').selectAll().where('decision_id', '=', decisionId).forUpdate().executeTakeFirst();
}

/** Adds the served half to a row that so far held only feedback; returns the completed row. */
export async function completeServed(trx: Transaction<MlDatabase>, served: ServedDecision): Promise<DecisionRow> {
  return trx
    .updateTable('decisions')
    .set(servedColumns(served))
    .where('decision_id', '=', served.decisionId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Sets (or replaces) the reaction of an unsettled decision; returns the row. */
export async function setFeedback(trx: Transaction<MlDatabase>, feedback: DecisionFeedback, receivedAt: Date): Promise<DecisionRow> {
  return trx
    .updateTable('decisions')
    .set({ reaction: feedback.reaction, reacted_at: feedback.reactedAt, feedback_received_at: receivedAt })
    .where('decision_id', '=', feedback.decisionId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Served decisions still open at `cutoff`, oldest first, locked; rows another transaction is
 * settling right now are skipped rather than waited for.
 */
export async function lockDueDecisions(trx: Transaction<MlDatabase>, cutoff: Date, limit: number): Promise<DecisionRow[]> {
  return trx
    .selectFrom('decisions')
    .selectAll()
    .where('settled_at', 'is', null)
    .where('served_at', 'is not', null)
    .where('served_at', '<=', cutoff)
    .orderBy('served_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Marks locked decisions settled with their outcome and reward (one statement per distinct pair). */
export async function markSettled(
  trx: Transaction<MlDatabase>,
  settled: readonly { decision_id?: string | null; outcome?: Outcome | null; reward?: number | null }[],
  at: Date,
): Promise<void> {
  const groups = new Map<string, { outcome: Outcome; reward: number; ids: string[] }>();
  for (const s of settled) {
    if (!s.decision_id || !s.outcome || s.reward === null || s.reward === undefined) continue;
    const key = `${s.outcome}:${s.reward}`;
    const group = groups.get(key) ?? { outcome: s.outcome, reward: s.reward, ids: [] };
    group.ids.push(s.decision_id);
    groups.set(key, group);
  }
  for (const { outcome, reward, ids } of groups.values()) {
    await trx.updateTable('decisions').set({ settled_at: at, outcome, reward }).where('decision_id', 'in', ids).execute();
  }
}

/**
 * Drops settled decisions and never-joined feedback older than `before`, `batchSize` rows per
 * statement (each walks its own partial index), at most `maxBatches` of each kind per call so one
 * call never runs unbounded; returns how many. The rest goes on the next call.
 *
 * @example
 * const pruned = await pruneDecisions(db, new Date(Date.now() - 7 * 86_400_000));
 */
export async function pruneDecisions(db: Executor<MlDatabase>, before: Date, batchSize = 1_000, maxBatches = 100): Promise<number> {
  const kinds = [
    sql`select decision_id from decisions where settled_at is not null and settled_at < ${before} limit ${batchSize}`,
    sql`select decision_id from decisions where served_at is null and feedback_received_at < ${before} limit ${batchSize}`,
  ];
  let total = 0;
  for (const oldest of kinds) {
    for (let batch = 0; batch < maxBatches; batch++) {
      const result = await sql`delete from decisions where decision_id in (${oldest})`.execute(db);
      const deleted = Number(result.numAffectedRows ?? 0);
      total += deleted;
      if (deleted < batchSize) break;
    }
  }
  return total;
}
