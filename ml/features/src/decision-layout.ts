import { createFeatureBuilder, toVector, type FeatureBuilder } from '@oo/bandit';
import { ADVICE_KINDS, CANDIDATE_FEATURES, KNOWN_SOURCES } from './candidate-features';
import { CONTEXT_FEATURES, contextVector, TIMES_OF_DAY, type DecisionContextInput } from './context-features';

// Which candidate traits may depend on the moment: what kind of thing it is, how pressing it is,
// and where it came from — each against time of day and weekends. Engagement features interact
// only with "is it a task", which keeps the layout near 80 dimensions instead of 15 × 10.
const SITUATIONAL = ['is_task', 'is_overdue', 'priority', 'due_soon', ...KNOWN_SOURCES.map((s) => `source_${s}`), 'source_other', ...ADVICE_KINDS.map((k) => `kind_${k}`)];
const MOMENTS = [...TIMES_OF_DAY.map((t) => `tod_${t}`), 'is_weekend'];
const ENGAGEMENT = ['completion_rate_30d', 'dismiss_rate_30d', 'near_preferred_hour'];

/** The candidate × context pairs the model learns, besides every main effect. */
export const DECISION_INTERACTIONS: readonly (readonly [string, string])[] = Object.freeze([
  ...SITUATIONAL.flatMap((c) => MOMENTS.map((x) => [c, x] as const)),
  ...ENGAGEMENT.map((x) => ['is_task', x] as const),
]);

/** Turns raw candidate features and a decision's context into model vectors under one layout. */
export interface DecisionFeaturizer {
  readonly builder: FeatureBuilder;
  /**
   * Model vectors for candidates whose raw features are named by `names` (a logged decision may
   * carry an older or newer candidate layout: absent names read as 0, unknown ones are ignored).
   */
  vectors(names: readonly string[], candidates: readonly (readonly number[])[], context: DecisionContextInput): Float64Array[];
}

/**
 * The featurizer of the current decision layout (`builder.layout.version` names it).
 *
 * @example
 * const featurizer = createDecisionFeaturizer();
 * const xs = featurizer.vectors(CANDIDATE_FEATURES, candidates.map((c) => c.features), context);
 */
export function createDecisionFeaturizer(): DecisionFeaturizer {
  const builder = createFeatureBuilder({ candidate: CANDIDATE_FEATURES, context: CONTEXT_FEATURES, interactions: DECISION_INTERACTIONS });
  const vectors: DecisionFeaturizer['vectors'] = (names, candidates, context) => {
    const aligned = sameNames(names, CANDIDATE_FEATURES) ? candidates : candidates.map((c) => realign(names, c));
    return builder.build(aligned, contextVector(context));
  };
  return Object.freeze({ builder, vectors });
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

function realign(names: readonly string[], values: readonly number[]): number[] {
  const record: Record<string, number> = {};
  names.forEach((name, i) => {
    record[name] = values[i] ?? 0;
  });
  return toVector(CANDIDATE_FEATURES, record);
}
