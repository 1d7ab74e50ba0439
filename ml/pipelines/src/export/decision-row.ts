import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { Reaction, RewardValues } from '@oo/bandit';
import { ContextFeatureStatus, type TipServed } from '@oo/contracts';
import type { DecisionFeaturizer } from '@oo/decision-features';
import type { LoggedTip } from '@oo/off-policy';
import { settleDecisions } from '@oo/off-policy';
import { modelVectors } from '@oo/off-policy';

/** A shadow policy's scores on one decision. */
export interface ShadowScoresRow {
  readonly policy: string;
  readonly modelVersion: string;
  readonly probabilities: number[];
}

/** A context feature as the decision read it; exactly one of the two values is set. */
export interface ContextFeatureRow {
  readonly name: string;
  readonly numberValue: number | null;
  readonly textValue: string | null;
  readonly status: 'fresh' | 'recomputed' | 'fallback' | 'unspecified';
}

/**
 * One decision joined with its reward: the row of `npm run stream -- export` (JSONL and Parquet
 * alike). The columns are documented in `decision-export-columns.ts` and the README.
 */
export interface DecisionRow {
  readonly decisionId: string;
  readonly userId: string;
  readonly servedAt: Date | null;
  readonly policy: string;
  readonly modelVersion: string;
  readonly fallback: boolean;
  readonly fallbackReason: string;
  readonly tipId: string;
  readonly tipKind: string;
  readonly chosenIndex: number;
  readonly propensity: number;
  readonly candidateIds: string[];
  readonly candidateKinds: string[];
  readonly probabilities: number[];
  readonly shadowPolicies: ShadowScoresRow[];
  readonly featureLayout: string[];
  readonly candidateFeatures: number[][];
  readonly modelVectors: number[][];
  readonly timezone: string;
  readonly localHour: number;
  readonly localWeekday: number;
  readonly channel: string;
  readonly contextFeatures: ContextFeatureRow[];
  readonly settled: boolean;
  readonly reaction: Reaction | null;
  readonly reward: number | null;
  readonly reactedAt: Date | null;
  readonly feedbackCount: number;
  readonly observedAt: Date;
}

export interface DecisionRowOptions {
  readonly now: Date;
  readonly rewardWindowMs: number;
  readonly rewards: RewardValues;
  readonly featurizer: DecisionFeaturizer;
}

const STATUS: Readonly<Record<number, ContextFeatureRow['status']>> = {
  [ContextFeatureStatus.FRESH]: 'fresh',
  [ContextFeatureStatus.RECOMPUTED]: 'recomputed',
  [ContextFeatureStatus.FALLBACK]: 'fallback',
};

/**
 * Flattens one logged decision into an export row, settled exactly as `npm run ope` settles it
 * (the same function), so an evaluation of the export and of the log agree.
 *
 * @example
 * const row = decisionRow(tip, { now, rewardWindowMs: 86_400_000, rewards: DEFAULT_REWARDS, featurizer });
 */
export function decisionRow(tip: LoggedTip, options: DecisionRowOptions): DecisionRow {
  const s = tip.served;
  const settlement = settleDecisions([tip], options);
  const outcome = settlement.settled[0];
  const context = s.context;
  return {
    decisionId: s.decisionId,
    userId: s.userId,
    servedAt: s.servedAt ? timestampDate(s.servedAt) : null,
    policy: s.policy,
    modelVersion: s.modelVersion,
    fallback: s.fallback,
    fallbackReason: s.fallbackReason,
    tipId: s.tipId,
    tipKind: s.tipKind,
    chosenIndex: s.chosenIndex,
    propensity: s.propensity,
    candidateIds: s.candidates.map((c) => c.candidateId),
    candidateKinds: s.candidates.map((c) => c.kind),
    probabilities: [...s.probabilities],
    shadowPolicies: s.shadowPolicies.map((p) => ({ policy: p.policy, modelVersion: p.modelVersion, probabilities: [...p.probabilities] })),
    featureLayout: [...s.featureLayout],
    candidateFeatures: s.candidates.map((c) => [...c.features]),
    modelVectors: vectorsOf(options.featurizer, s),
    timezone: context?.timezone ?? '',
    localHour: context?.localHour ?? 0,
    localWeekday: context?.localWeekday ?? 0,
    channel: context?.channel ?? '',
    contextFeatures: (context?.features ?? []).map((f) => ({
      name: f.name,
      numberValue: f.value.case === 'numberValue' ? f.value.value : null,
      textValue: f.value.case === 'textValue' ? f.value.value : null,
      status: STATUS[f.status] ?? 'unspecified',
    })),
    settled: outcome !== undefined,
    reaction: outcome?.reaction ?? null,
    reward: outcome?.reward ?? null,
    reactedAt: outcome?.feedback?.reactedAt ? timestampDate(outcome.feedback.reactedAt) : null,
    feedbackCount: tip.feedback.length,
    observedAt: tip.observedAt,
  };
}

// A decision without candidates has no vectors; the evaluation leaves such decisions out anyway.
function vectorsOf(featurizer: DecisionFeaturizer, served: TipServed): number[][] {
  if (served.candidates.length === 0) return [];
  return modelVectors(featurizer, served).map((v) => Array.from(v));
}
