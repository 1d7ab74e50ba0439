import { chooseIndex } from '@oo/bandit';
import type { Kysely } from '@oo/db';
import { CANDIDATE_FEATURES, localTime, type DecisionContextInput } from '@oo/decision-features';
import type { RecommenderDatabase } from '../../db/database';
import type { EnqueueEventWith } from '../../events/outbox';
import { applicableAdvice, type AdviceLibrary } from '../advice/advice-library';
import { buildCandidates, type Candidate } from '../candidates/candidate-set';
import { decisionInputs } from '../candidates/tasks.repository';
import type { ProfileClient } from '../context/profile-client';
import { choosePolicy, type PolicyChoice } from '../scoring/policy-choice';
import type { Scorer } from '../scoring/ml-client';
import { uuidv7 } from './decision-id';
import { insertDecision } from './decisions.repository';
import { toTipServed, type DecisionRecord } from './tip-served.event';

export type Clock = () => Date;

export interface RecommendDeps {
  db: Kysely<RecommenderDatabase>;
  clock: Clock;
  advice: AdviceLibrary;
  profile: ProfileClient;
  scorer: Scorer;
  /** The decision row and its `signals.tip.served` go in as one statement. */
  enqueueWith: EnqueueEventWith;
  policies: { live: string; shadows: readonly string[] };
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

/**
 * One decision: the user's candidates and context, the policy's probabilities (ml-serving, or the
 * local policy when it cannot answer in time), a choice seeded by the decision id, and the
 * decision stored together with its `signals.tip.served` in one statement. Null when there is
 * nothing to suggest.
 *
 * @example
 * const tip = await recommend(deps, 'u1', traceparent); // null → 204
 */
export async function recommend(deps: RecommendDeps, userId: string, traceparent?: string): Promise<Recommendation | null> {
  const servedAt = deps.clock();
  const decisionId = uuidv7(servedAt);
  // Profile is asked at once, alongside our own reads: its answer is needed unless there is nothing to suggest.
  const [{ timezone, tasks }, profile] = await Promise.all([decisionInputs(deps.db, userId, deps.maxTaskCandidates), deps.profile.features(userId, traceparent)]);
  const local = localTime(timezone, servedAt);
  const candidates = buildCandidates(tasks, applicableAdvice(deps.advice, local.localHour, local.localWeekday), deps.advice, servedAt);
  if (candidates.length === 0) return null;

  const context: DecisionContextInput = { features: profile.features, timezone, ...local };
  const outcome = await deps.scorer.score(
    {
      userId,
      decisionId,
      candidateFeatures: [...CANDIDATE_FEATURES],
      candidates: candidates.map((c) => ({ id: c.tipId, features: [...c.features] })),
      context: { ...context, features: [...context.features] },
      policies: [deps.policies.live, ...deps.policies.shadows],
    },
    traceparent,
  );
  const features = candidates.map((c) => c.features);
  const choice = choosePolicy(outcome, deps.policies, features, deps.localEpsilon);
  const { index, propensity } = chooseIndex(choice.probabilities, decisionId);
  const record: DecisionRecord = { decisionId, userId, servedAt, candidates, context, choice, chosenIndex: index, propensity };

  await deps.enqueueWith(deps.db, insertDecision(deps.db, toRow(record)), 'signals.tip.served', toTipServed(record), { userId, traceparent, time: servedAt });
  deps.onDecision?.(choice);
  const tip = candidates[index] as Candidate;
  return {
    decisionId,
    tip: { id: tip.tipId, kind: tip.kind, title: tip.title, body: tip.body, ...(tip.taskId ? { taskId: tip.taskId } : {}) },
    policy: choice.policy,
    modelVersion: choice.modelVersion,
    propensity,
  };
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
    context: JSON.stringify(record.context),
  };
}
