import { timestampDate } from '@bufbuild/protobuf/wkt';
import { ContextFeatureStatus, Reaction, type SubjectMessage } from '@oo/contracts';
import type { ContextFeatureInput, DecisionContextInput } from '@oo/decision-features';
import { PermanentEventError } from '@oo/events';
import type { StoredReaction } from '../../db/database';

/** An event that can never be learned from (no user, no chosen candidate, no context…): dead-lettered at once. */
export class UnlearnableEventError extends PermanentEventError {}

/** The served half of the reward join: what is needed to rebuild the chosen candidate's model vector. */
export interface ServedDecision {
  readonly decisionId: string;
  readonly userId: string;
  readonly servedAt: Date;
  readonly policy: string;
  readonly modelVersion: string;
  readonly fallback: boolean;
  readonly propensity: number;
  readonly featureNames: readonly string[];
  readonly features: readonly number[];
  readonly context: DecisionContextInput;
}

/** The feedback half of the reward join. */
export interface DecisionFeedback {
  readonly decisionId: string;
  readonly userId: string;
  readonly reaction: StoredReaction;
  readonly reactedAt: Date;
}

const REACTIONS: Partial<Record<Reaction, StoredReaction>> = {
  [Reaction.DONE]: 'done',
  [Reaction.SNOOZE]: 'snooze',
  [Reaction.DISMISS]: 'dismiss',
};

const STATUSES: Partial<Record<ContextFeatureStatus, ContextFeatureInput['status']>> = {
  [ContextFeatureStatus.FRESH]: 'fresh',
  [ContextFeatureStatus.RECOMPUTED]: 'recomputed',
};

/**
 * Reads the served half from `signals.tip.served`; throws `UnlearnableEventError` when the event
 * cannot say which vector was chosen.
 *
 * @example
 * const served = servedDecision(event.message);
 */
export function servedDecision(served: SubjectMessage<'signals.tip.served'>): ServedDecision {
  const where = `served ${served.decisionId || '(no decision id)'}`;
  if (!served.decisionId || !served.userId || !served.servedAt) throw new UnlearnableEventError(`${where} lacks a decision id, a user or a time`);
  const chosen = served.candidates[served.chosenIndex];
  if (chosen === undefined) throw new UnlearnableEventError(`${where}: chosen_index ${served.chosenIndex} is not a candidate`);
  if (chosen.features.length !== served.featureLayout.length) {
    throw new UnlearnableEventError(`${where}: the chosen candidate has ${chosen.features.length} features, feature_layout names ${served.featureLayout.length}`);
  }
  if (!chosen.features.every(Number.isFinite)) throw new UnlearnableEventError(`${where}: the chosen candidate has a non-finite feature`);
  const context = served.context;
  if (!context || context.localHour > 23 || context.localWeekday > 7) throw new UnlearnableEventError(`${where} lacks a valid context`);
  return {
    decisionId: served.decisionId,
    userId: served.userId,
    servedAt: timestampDate(served.servedAt),
    policy: served.policy,
    modelVersion: served.modelVersion,
    fallback: served.fallback,
    propensity: served.propensity,
    featureNames: [...served.featureLayout],
    features: [...chosen.features],
    context: {
      features: context.features.flatMap((f): ContextFeatureInput[] =>
        f.value.case === undefined ? [] : [{ name: f.name, value: f.value.value, status: STATUSES[f.status] ?? 'fallback' }],
      ),
      timezone: context.timezone,
      localHour: context.localHour,
      // The wire carries ISO weekdays (1 Monday … 7 Sunday); the features count 0 Sunday … 6 Saturday.
      localWeekday: context.localWeekday % 7,
    },
  };
}

/**
 * Reads the feedback half from `signals.tip.feedback`; a reaction this service does not know
 * (unspecified, or from a newer schema) is unlearnable rather than guessed.
 *
 * @example
 * const feedback = decisionFeedback(event.message);
 */
export function decisionFeedback(feedback: SubjectMessage<'signals.tip.feedback'>): DecisionFeedback {
  const reaction = REACTIONS[feedback.reaction];
  if (!feedback.decisionId || !feedback.userId || !feedback.reactedAt || !reaction) {
    throw new UnlearnableEventError(`feedback ${feedback.decisionId || '(no decision id)'} lacks a decision id, a user, a time or a known reaction`);
  }
  return { decisionId: feedback.decisionId, userId: feedback.userId, reaction, reactedAt: timestampDate(feedback.reactedAt) };
}
