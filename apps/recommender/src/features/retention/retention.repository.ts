import { sql, type Executor } from '@oo/db';
import type { RecommenderDatabase } from '../../db/database';

/**
 * Deletes up to `limit` of the oldest decisions served before `before`; their feedback goes with
 * them (the foreign key cascades). One short statement per batch, so locks stay brief.
 *
 * @example
 * const deleted = await pruneDecisionsBatch(db, cutoff, 1000);
 */
export async function pruneDecisionsBatch(db: Executor<RecommenderDatabase>, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from decisions where decision_id in (
      select decision_id from decisions where served_at < ${before} order by served_at limit ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Deletes up to `limit` task tombstones written before `before`. A tombstone only guards against
 * a late, older upsert; past the streams' retention no such event can arrive any more.
 *
 * @example
 * const deleted = await pruneTombstonesBatch(db, cutoff, 1000);
 */
export async function pruneTombstonesBatch(db: Executor<RecommenderDatabase>, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from tasks where task_id in (
      select task_id from tasks where deleted and version_at < ${before} limit ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
