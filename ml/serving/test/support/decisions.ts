import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ContextFeatureStatus,
  Reaction,
  TipFeedbackSchema,
  TipServedSchema,
  type TipFeedback,
  type TipServed,
} from '@oo/contracts';
import { adviceFeatures, CANDIDATE_FEATURES, taskFeatures, type ScoreRequest } from '@oo/decision-features';

const NOW = new Date('2026-11-23T08:00:00Z');

/** Three candidates as the recommender would log them: an overdue urgent task, a fresh task, a break. */
export const CANDIDATES = [
  { id: 'task-overdue', kind: 'task', features: taskFeatures({ source: 'todoist', createdAt: new Date('2026-11-01T00:00:00Z'), dueAt: new Date('2026-11-22T00:00:00Z'), priority: 4 }, NOW) },
  { id: 'task-later', kind: 'task', features: taskFeatures({ source: 'google_tasks', createdAt: new Date('2026-11-22T00:00:00Z'), dueAt: null, priority: 1 }, NOW) },
  { id: 'advice-break', kind: 'advice', features: adviceFeatures('break') },
];

/** The context the decisions were made in: a Monday morning, with two profile features. */
export const CONTEXT = {
  features: [
    { name: 'completion_rate_30d', value: 0.5, status: 'fresh' as const },
    { name: 'preferred_hour', value: 9, status: 'recomputed' as const },
  ],
  timezone: 'Europe/Berlin',
  localHour: 9,
  localWeekday: 1,
};

/**
 * A `signals.tip.served` event choosing `chosen` among `CANDIDATES`.
 *
 * @example
 * await h.publish('signals.tip.served', served('d1', 'u1', 0), 'u1');
 */
export function served(decisionId: string, userId: string, chosen: number, servedAt = NOW): TipServed {
  const candidate = CANDIDATES[chosen];
  if (candidate === undefined) throw new Error(`no candidate ${chosen}`);
  return create(TipServedSchema, {
    decisionId,
    userId,
    tipId: `tip-${decisionId}`,
    tipKind: candidate.kind,
    servedAt: timestampFromDate(servedAt),
    policy: 'linucb',
    modelVersion: 'fl-test/0',
    featureLayout: [...CANDIDATE_FEATURES],
    candidates: CANDIDATES.map((c) => ({ candidateId: c.id, kind: c.kind, features: c.features })),
    probabilities: [0.4, 0.3, 0.3],
    chosenIndex: chosen,
    propensity: 0.4,
    context: {
      features: [
        { name: 'completion_rate_30d', value: { case: 'numberValue', value: 0.5 }, status: ContextFeatureStatus.FRESH },
        { name: 'preferred_hour', value: { case: 'numberValue', value: 9 }, status: ContextFeatureStatus.RECOMPUTED },
      ],
      timezone: CONTEXT.timezone,
      localHour: CONTEXT.localHour,
      localWeekday: 1, // ISO Monday on the wire
    },
  });
}

/** A `signals.tip.feedback` event for a decision. */
export function feedback(decisionId: string, userId: string, reaction: Reaction, reactedAt = new Date(NOW.getTime() + 60_000)): TipFeedback {
  return create(TipFeedbackSchema, { decisionId, userId, tipId: `tip-${decisionId}`, reaction, reactedAt: timestampFromDate(reactedAt), dwellMs: 1_000n });
}

/** The score request for the same candidates and context. */
export function scoreRequest(userId: string, decisionId: string, policies: string[]): ScoreRequest {
  return {
    userId,
    decisionId,
    candidateFeatures: [...CANDIDATE_FEATURES],
    candidates: CANDIDATES.map((c) => ({ id: c.id, features: c.features })),
    context: CONTEXT,
    policies,
  };
}

export { NOW as DECISION_TIME, Reaction };
