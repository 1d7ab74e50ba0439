import { sql, type Executor, type Insertable } from '@oo/db';
import type { DecisionsTable, RecommenderDatabase, StoredReaction } from '../../db/database';

export type NewDecision = Insertable<DecisionsTable>;

/** The statement that appends a decision to the log; it runs as one statement with its TipServed (`enqueueWith`). */
export function insertDecision(db: Executor<RecommenderDatabase>, decision: NewDecision) {
  return db.insertInto('decisions').values(decision);
}

/** What feedback needs of a decision: only the owner finds it. */
export async function findUsersDecision(
  db: Executor<RecommenderDatabase>,
  decisionId: string,
  userId: string,
): Promise<{ tipId: string; servedAt: Date } | undefined> {
  const row = await db
    .selectFrom('decisions')
    .select(['tip_id', 'served_at'])
    .where('decision_id', '=', decisionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && { tipId: row.tip_id, servedAt: row.served_at };
}

/** One served tip in a user's history, with the reaction when there was one. */
export interface HistoryEntry {
  decisionId: string;
  tip: { id: string; kind: string; title: string; body: string; taskId?: string };
  servedAt: string;
  /** `in_app`, or the channel of the nudge that carried it. */
  channel: string;
  reaction: StoredReaction | null;
  reactedAt: string | null;
  dwellMs: number | null;
}

/** Where a page of history starts: after this tip, in newest-first order. */
export interface HistoryPosition {
  servedAt: Date;
  decisionId: string;
}

/**
 * The user's most recent tips, newest first; after `before` (exclusive) when given.
 *
 * @example
 * const items = await recentTips(db, 'u1', 20);
 */
export async function recentTips(db: Executor<RecommenderDatabase>, userId: string, limit: number, before?: HistoryPosition): Promise<HistoryEntry[]> {
  let query = historyQuery(db).where('d.user_id', '=', userId);
  // Row comparison: the (user_id, served_at desc, decision_id desc) index serves it directly.
  if (before) query = query.where(sql<boolean>`(d.served_at, d.decision_id) < (${before.servedAt}, ${before.decisionId}::uuid)`);
  const rows = await query.orderBy('d.served_at', 'desc').orderBy('d.decision_id', 'desc').limit(limit).execute();
  return rows.map(toHistoryEntry);
}

/**
 * One of the user's tips by its decision id, with the reaction when there was one: where a
 * notification's link leads. Undefined when the decision is not the user's (or unknown).
 */
export async function usersTip(db: Executor<RecommenderDatabase>, userId: string, decisionId: string): Promise<HistoryEntry | undefined> {
  const row = await historyQuery(db).where('d.user_id', '=', userId).where('d.decision_id', '=', decisionId).executeTakeFirst();
  return row && toHistoryEntry(row);
}

function historyQuery(db: Executor<RecommenderDatabase>) {
  return db
    .selectFrom('decisions as d')
    .leftJoin('tip_feedback as f', 'f.decision_id', 'd.decision_id')
    .select(['d.decision_id', 'd.tip_id', 'd.tip_kind', 'd.tip_title', 'd.tip_body', 'd.task_id', 'd.served_at', 'd.channel', 'f.reaction', 'f.reacted_at', 'f.dwell_ms']);
}

type HistoryRow = Awaited<ReturnType<ReturnType<typeof historyQuery>['executeTakeFirstOrThrow']>>;

function toHistoryEntry(r: HistoryRow): HistoryEntry {
  return {
    decisionId: r.decision_id,
    tip: { id: r.tip_id, kind: r.tip_kind, title: r.tip_title, body: r.tip_body, ...(r.task_id ? { taskId: r.task_id } : {}) },
    servedAt: r.served_at.toISOString(),
    channel: r.channel,
    reaction: r.reaction,
    reactedAt: r.reacted_at?.toISOString() ?? null,
    dwellMs: r.dwell_ms === null ? null : Number(r.dwell_ms),
  };
}
