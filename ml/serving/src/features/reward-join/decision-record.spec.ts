import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ContextFeatureStatus, Reaction, TipCandidateSchema, TipFeedbackSchema, TipServedSchema, type TipServed } from '@oo/contracts';
import { decisionFeedback, servedDecision, UnlearnableEventError } from './decision-record';

const servedAt = new Date('2026-11-22T07:00:00Z');

function served(overrides: Partial<TipServed> = {}): TipServed {
  const message = create(TipServedSchema, {
    decisionId: 'd1',
    userId: 'u1',
    servedAt: timestampFromDate(servedAt),
    policy: 'linucb',
    featureLayout: ['is_task', 'priority'],
    candidates: [
      { candidateId: 'a', kind: 'task', features: [1, 0.5] },
      { candidateId: 'b', kind: 'advice', features: [0, 0] },
    ],
    chosenIndex: 1,
    propensity: 0.3,
    context: {
      timezone: 'Asia/Tokyo',
      localHour: 16,
      localWeekday: 7,
      features: [
        { name: 'completion_rate_30d', value: { case: 'numberValue', value: 0.4 }, status: ContextFeatureStatus.FRESH },
        { name: 'favourite_tip_kind_30d', value: { case: 'textValue', value: 'task' }, status: ContextFeatureStatus.UNSPECIFIED },
        { name: 'empty', value: { case: undefined }, status: ContextFeatureStatus.FALLBACK },
      ],
    },
  });
  return Object.assign(message, overrides);
}

describe('reading the decision log', () => {
  it('takes the chosen candidate, its feature names and the context, with the wire weekday turned into 0 = Sunday', () => {
    expect(servedDecision(served())).toEqual({
      decisionId: 'd1',
      userId: 'u1',
      servedAt,
      policy: 'linucb',
      modelVersion: '',
      fallback: false,
      propensity: 0.3,
      featureNames: ['is_task', 'priority'],
      features: [0, 0],
      context: {
        timezone: 'Asia/Tokyo',
        localHour: 16,
        localWeekday: 0,
        features: [
          { name: 'completion_rate_30d', value: 0.4, status: 'fresh' },
          { name: 'favourite_tip_kind_30d', value: 'task', status: 'fallback' },
        ],
      },
    });
  });

  it('refuses decisions it cannot learn from, so they are dead-lettered instead of retried', () => {
    expect(() => servedDecision(served({ userId: '' }))).toThrow(UnlearnableEventError);
    expect(() => servedDecision(served({ chosenIndex: 2 }))).toThrow(/chosen_index 2/);
    expect(() => servedDecision(served({ featureLayout: ['is_task'] }))).toThrow(/2 features, feature_layout names 1/);
    expect(() => servedDecision(served({ candidates: [create(TipCandidateSchema, { features: [Number.NaN, 1] })], chosenIndex: 0 }))).toThrow(/non-finite/);
    expect(() => servedDecision(served({ context: undefined }))).toThrow(/context/);
  });

  it('maps reactions, and refuses an unspecified one rather than guessing', () => {
    const reactedAt = new Date('2026-11-22T07:05:00Z');
    const message = (reaction: Reaction) => create(TipFeedbackSchema, { decisionId: 'd1', userId: 'u1', reaction, reactedAt: timestampFromDate(reactedAt) });
    expect(decisionFeedback(message(Reaction.SNOOZE))).toEqual({ decisionId: 'd1', userId: 'u1', reaction: 'snooze', reactedAt });
    expect(() => decisionFeedback(message(Reaction.UNSPECIFIED))).toThrow(UnlearnableEventError);
  });
});
