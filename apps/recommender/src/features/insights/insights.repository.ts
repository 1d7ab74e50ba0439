import type { Kysely } from '@oo/db';
import type { RecommenderDatabase, StoredCandidate, StoredReaction, StoredShadow } from '../../db/database';

/** A logged decision with the reaction it got (if any), as the admin views read it. */
export interface DecisionWithReaction {
  decisionId: string;
  userId: string;
  servedAt: Date;
  channel: string;
  tipId: string;
  tipTitle: string;
  policy: string;
  modelVersion: string;
  layoutVersion: string;
  fallback: boolean;
  fallbackReason: string | null;
  chosenIndex: number;
  propensity: number;
  featureLayout: string[];
  candidates: StoredCandidate[];
  probabilities: number[];
  shadows: StoredShadow[];
  context: unknown;
  reaction: StoredReaction | null;
  reactedAt: Date | null;
}

// One row per decision: the feedback table keeps one reaction per decision (its primary key).
function withReactions(db: Kysely<RecommenderDatabase>) {
  return db
    .selectFrom('decisions as d')
    .leftJoin('tip_feedback as f', 'f.decision_id', 'd.decision_id')
    .select([
      'd.decision_id', 'd.user_id', 'd.served_at', 'd.channel', 'd.tip_id', 'd.tip_title', 'd.policy', 'd.model_version', 'd.layout_version', 'd.fallback', 'd.fallback_reason',
      'd.chosen_index', 'd.propensity', 'd.feature_layout', 'd.candidates', 'd.probabilities', 'd.shadow_policies', 'd.context', 'f.reaction', 'f.reacted_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof withReactions>['execute']>>[number];

const toDecision = (r: Row): DecisionWithReaction => ({
  decisionId: r.decision_id,
  userId: r.user_id,
  servedAt: r.served_at,
  channel: r.channel,
  tipId: r.tip_id,
  tipTitle: r.tip_title,
  policy: r.policy,
  modelVersion: r.model_version,
  layoutVersion: r.layout_version,
  fallback: r.fallback,
  fallbackReason: r.fallback_reason,
  chosenIndex: r.chosen_index,
  propensity: r.propensity,
  featureLayout: r.feature_layout,
  candidates: r.candidates,
  probabilities: r.probabilities,
  shadows: r.shadow_policies,
  context: r.context,
  reaction: r.reaction,
  reactedAt: r.reacted_at,
});

/**
 * A user's most recent decisions, newest first, with their reactions.
 *
 * @example
 * const recent = await userDecisions(db, 'dev-ada', 20);
 */
export async function userDecisions(db: Kysely<RecommenderDatabase>, userId: string, limit: number): Promise<DecisionWithReaction[]> {
  const rows = await withReactions(db).where('d.user_id', '=', userId).orderBy('d.served_at', 'desc').orderBy('d.decision_id', 'desc').limit(limit).execute();
  return rows.map(toDecision);
}

/**
 * Every decision served in [from, until), oldest first, with reactions, at most `limit` (the
 * newest ones when there are more).
 *
 * @example
 * const log = await decisionsBetween(db, new Date(Date.now() - 86_400_000), new Date(), 20_000);
 */
export async function decisionsBetween(db: Kysely<RecommenderDatabase>, from: Date, until: Date, limit: number): Promise<DecisionWithReaction[]> {
  const rows = await withReactions(db).where('d.served_at', '>=', from).where('d.served_at', '<', until).orderBy('d.served_at', 'desc').limit(limit).execute();
  return rows.map(toDecision).reverse();
}
