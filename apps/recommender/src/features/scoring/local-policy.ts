import { greedyProbabilities } from '@oo/bandit';
import { CANDIDATE_FEATURES } from '@oo/decision-features';

/** The policy that chooses when ml-serving cannot: ε-greedy over `urgencyScore`. */
export const LOCAL_POLICY = 'local-urgency';

const at = (name: string): number => CANDIDATE_FEATURES.indexOf(name);
const IS_TASK = at('is_task');
const IS_OVERDUE = at('is_overdue');
const DUE_SOON = at('due_soon');
const PRIORITY = at('priority');

/**
 * How pressing a candidate is, from its raw features: every task outranks advice; among tasks,
 * overdue counts most, then due within a day, then priority (0–1). All advice ties at 0.5.
 *
 * @example
 * urgencyScore(taskFeatures(task, now)); // e.g. 1 + 2 (overdue) + 0.75 (priority 2) = 3.75
 */
export function urgencyScore(features: readonly number[]): number {
  if (!features[IS_TASK]) return 0.5;
  return 1 + 2 * (features[IS_OVERDUE] ?? 0) + (features[DUE_SOON] ?? 0) + (features[PRIORITY] ?? 0);
}

/**
 * The local policy's full probability vector: ε/n everywhere, the rest split over the most
 * urgent candidates — the true propensities, logged as such.
 *
 * @example
 * localPolicyProbabilities([taskFeatures(a, now), adviceFeatures('break')], 0.2); // [0.9, 0.1]
 */
export function localPolicyProbabilities(candidates: readonly (readonly number[])[], epsilon: number): number[] {
  return greedyProbabilities(candidates.map(urgencyScore), epsilon);
}
