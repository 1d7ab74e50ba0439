import { chooseIndex } from '@oo/bandit';
import type { Kysely } from '@oo/db';
import { CANDIDATE_FEATURES, localTime, SCORE_LIMITS, type DecisionContextInput } from '@oo/decision-features';
import type { RecommenderDatabase } from '../../db/database';
import type { EnqueueEventWith } from '../../events/outbox';
import { applicableAdvice, type AdviceLibrary } from '../advice/advice-library';
import { buildCandidates, type Candidate } from '../candidates/candidate-set';
import { decisionInputs } from '../candidates/tasks.repository';
import type { ContextFeatures, ProfileClient } from '../context/profile-client';
import { choosePolicy, type PolicyChoice } from '../scoring/policy-choice';
import type { Scorer } from '../scoring/ml-client';
import { uuidv7 } from './decision-id';
import { insertDecision } from './decisions.repository';
import { toTipServed, type DecisionRecord } from './tip-served.event';

export type Clock = () => Date;

/** Which policy chooses and which are scored beside it. */
export interface PolicyNames {
  live: string;
  shadows: readonly string[];
}

/**
 * The policies a decision uses now: the promoted assignment once there is one, else the configured.
 *
 * @example
 * policiesNow({ policies: { live: 'linucb', shadows: ['thompson'] }, assignment: () => replica.assignment() });
 */
export function policiesNow(deps: Pick<RecommendDeps, 'policies' | 'assignment'>): PolicyNames {
  const assigned = deps.assignment?.();
  // The score API takes a bounded number of policies; a longer assignment keeps its first shadows.
  return assigned ? { live: assigned.live, shadows: assigned.shadows.slice(0, SCORE_LIMITS.policies - 1) } : deps.policies;
}

export interface RecommendDeps {
  db: Kysely<RecommenderDatabase>;
  clock: Clock;
  advice: AdviceLibrary;
  profile: ProfileClient;
  scorer: Scorer;
  /** The decision row and its `signals.tip.served` go in as one statement. */
  enqueueWith: EnqueueEventWith;
  /** LIVE_POLICY / SHADOW_POLICIES: what applies until ml-serving promotes a policy. */
  policies: PolicyNames;
  /** The assignment ml-serving's promotion step set, when one reached this process (the model replica). */
  assignment?: () => PolicyNames | undefined;
  maxTaskCandidates: number;
  localEpsilon: number;
  /** Called once per decision, for metrics. */
  onDecision?: (choice: PolicyChoice) => void;
}

/** What the client gets: the tip, and how it was chosen. */
export interface Recommendation {
  decisionId: string;
  tip: { id: string; kind: string; title: string; body: string; taskId?: string };
  policy: string;
  modelVersion: string;
  propensity: number;
}

/** How a decision is asked for: by the app (`in_app`), or by the nudge scheduler with the features it already read. */
export interface DecideOptions {
  channel: string;
  traceparent?: string;
  /** The user's profile features when the caller has read them already. */
  features?: ContextFeatures;
}

/**
 * One decision, not yet stored: the user's candidates and context, the policy's probabilities
 * (ml-serving, or the local policy when it cannot answer in time) and a choice seeded by the
 * decision id. Null when there is nothing to suggest.
 *
 * @example
 * const record = await decide(deps, 'u1', { channel: 'push', features });
 */
export async function decide(deps: RecommendDeps, userId: string, options: DecideOptions): Promise<DecisionRecord | null> {
  const { traceparent } = options;
  const servedAt = deps.clock();
  const decisionId = uuidv7(servedAt);
  // Profile is asked at once, alongside our own reads: its answer is needed unless there is nothing to suggest.
  const [{ timezone, tasks }, profile] = await Promise.all([
    decisionInputs(deps.db, userId, deps.maxTaskCandidates),
    options.features ?? deps.profile.features(userId, traceparent),
  ]);
  const local = localTime(timezone, servedAt);
  const candidates = buildCandidates(tasks, applicableAdvice(deps.advice, local.localHour, local.localWeekday), deps.advice, servedAt);
  if (candidates.length === 0) return null;

  const context: DecisionContextInput = { features: profile.features, timezone, ...local };
  const policies = policiesNow(deps);
  const outcome = await deps.scorer.score(
    {
      userId,
      decisionId,
      candidateFeatures: [...CANDIDATE_FEATURES],
      candidates: candidates.map((c) => ({ id: c.tipId, features: [...c.features] })),
      context: { ...context, features: [...context.features] },
      policies: [policies.live, ...policies.shadows],
    },
    traceparent,
  );
  const features = candidates.map((c) => c.features);
  const choice = choosePolicy(outcome, policies, features, deps.localEpsilon);
  const { index, propensity } = chooseIndex(choice.probabilities, decisionId);
  return { decisionId, userId, servedAt, candidates, context, channel: options.channel, choice, chosenIndex: index, propensity };
}

/**
 * Appends the decision to the log together with its `signals.tip.served`, in one statement on
 * `db` (the pool, or the caller's transaction when more belongs with it).
 */
export async function storeDecision(deps: RecommendDeps, db: Kysely<RecommenderDatabase>, record: DecisionRecord, traceparent?: string): Promise<void> {
  await deps.enqueueWith(db, insertDecision(db, toRow(record)), 'signals.tip.served', toTipServed(record), { userId: record.userId, traceparent, time: record.servedAt });
  deps.onDecision?.(record.choice);
}

/** The chosen tip of a decision, as it is shown. */
export function chosenTip(record: DecisionRecord): Recommendation['tip'] {
  const tip = record.candidates[record.chosenIndex] as Candidate;
  return { id: tip.tipId, kind: tip.kind, title: tip.title, body: tip.body, ...(tip.taskId ? { taskId: tip.taskId } : {}) };
}

/**
 * A tip for the app: one decision, stored and announced. Null when there is nothing to suggest.
 *
 * @example
 * const tip = await recommend(deps, 'u1', traceparent); // null → 204
 */
export async function recommend(deps: RecommendDeps, userId: string, traceparent?: string): Promise<Recommendation | null> {
  const record = await decide(deps, userId, { channel: 'in_app', traceparent });
  if (!record) return null;
  await storeDecision(deps, deps.db, record, traceparent);
  return { decisionId: record.decisionId, tip: chosenTip(record), policy: record.choice.policy, modelVersion: record.choice.modelVersion, propensity: record.propensity };
}

function toRow(record: DecisionRecord) {
  const { choice } = record;
  const tip = record.candidates[record.chosenIndex] as Candidate;
  return {
    decision_id: record.decisionId,
    user_id: record.userId,
    served_at: record.servedAt,
    tip_id: tip.tipId,
    tip_kind: tip.kind,
    tip_title: tip.title,
    tip_body: tip.body,
    task_id: tip.taskId ?? null,
    policy: choice.policy,
    model_version: choice.modelVersion,
    layout_version: choice.layoutVersion,
    fallback: choice.fallback,
    fallback_reason: choice.fallbackReason ?? null,
    chosen_index: record.chosenIndex,
    propensity: record.propensity,
    feature_layout: JSON.stringify(CANDIDATE_FEATURES),
    candidates: JSON.stringify(record.candidates.map((c) => ({ id: c.id, kind: c.kind, taskId: c.taskId, features: c.features }))),
    probabilities: JSON.stringify(choice.probabilities),
    shadow_policies: JSON.stringify(choice.shadows),
    context: JSON.stringify({ ...record.context, channel: record.channel }),
    channel: record.channel,
  };
}
