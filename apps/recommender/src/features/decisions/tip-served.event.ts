import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ContextFeatureStatus, TipServedSchema, type SubjectMessage } from '@oo/contracts';
import { CANDIDATE_FEATURES, type ContextFeatureStatus as FeatureStatus, type DecisionContextInput } from '@oo/decision-features';
import type { Candidate } from '../candidates/candidate-set';
import type { PolicyChoice } from '../scoring/policy-choice';

const STATUSES: Record<FeatureStatus, ContextFeatureStatus> = {
  fresh: ContextFeatureStatus.FRESH,
  recomputed: ContextFeatureStatus.RECOMPUTED,
  fallback: ContextFeatureStatus.FALLBACK,
};

/** Everything one decision decided, as the service holds it before it is stored and published. */
export interface DecisionRecord {
  decisionId: string;
  userId: string;
  servedAt: Date;
  candidates: readonly Candidate[];
  context: DecisionContextInput;
  /** `in_app`, or the channel a nudge asks the notifier to try first. */
  channel: string;
  choice: PolicyChoice;
  chosenIndex: number;
  propensity: number;
}

/**
 * The decision as `signals.tip.served`: the complete record off-policy evaluation needs.
 *
 * @example
 * await enqueue(trx, 'signals.tip.served', toTipServed(record), { userId });
 */
export function toTipServed(record: DecisionRecord): SubjectMessage<'signals.tip.served'> {
  const { choice, context } = record;
  const chosen = record.candidates[record.chosenIndex];
  return create(TipServedSchema, {
    decisionId: record.decisionId,
    userId: record.userId,
    tipId: chosen?.tipId ?? '',
    tipKind: chosen?.kind ?? '',
    servedAt: timestampFromDate(record.servedAt),
    policy: choice.policy,
    modelVersion: choice.modelVersion,
    featureLayout: [...CANDIDATE_FEATURES],
    candidates: record.candidates.map((c) => ({ candidateId: c.id, kind: c.kind, taskId: c.taskId, features: [...c.features] })),
    probabilities: choice.probabilities,
    chosenIndex: record.chosenIndex,
    propensity: record.propensity,
    shadowPolicies: choice.shadows,
    fallback: choice.fallback,
    fallbackReason: choice.fallbackReason ?? '',
    context: {
      features: context.features.map((f) => ({
        name: f.name,
        value: typeof f.value === 'number' ? { case: 'numberValue' as const, value: f.value } : { case: 'textValue' as const, value: f.value },
        status: STATUSES[f.status],
      })),
      timezone: context.timezone,
      localHour: context.localHour,
      // The proto counts ISO weekdays (1 Monday … 7 Sunday); localTime counts 0 Sunday … 6 Saturday.
      localWeekday: context.localWeekday === 0 ? 7 : context.localWeekday,
      channel: record.channel,
    },
  });
}
