import type { Vector } from '../linalg/dense-kernels';
import type { SeededRng } from '../random/seeded-rng';

/**
 * The policies the library knows, with their knobs. Every policy yields a full probability
 * vector over the candidates so a decision can be logged with its true propensity.
 * - `uniform`: 1/n each.
 * - `epsilon-greedy`: ε/n each, plus (1 − ε) split evenly over the candidates with the best mean.
 * - `linucb`: as epsilon-greedy, ranking by mean + α·width (optimism under uncertainty).
 * - `thompson`: P(candidate wins under a posterior draw), estimated from `samples` draws, mixed
 *   with ε/n so every candidate keeps a propensity usable by off-policy estimators; `scale`
 *   multiplies the posterior standard deviation (v in Agrawal & Goyal).
 */
export type PolicySpec =
  | { readonly kind: 'uniform' }
  | { readonly kind: 'epsilon-greedy'; readonly epsilon?: number }
  | { readonly kind: 'linucb'; readonly alpha?: number; readonly epsilon?: number }
  | { readonly kind: 'thompson'; readonly samples?: number; readonly scale?: number; readonly epsilon?: number };

export type PolicyKind = PolicySpec['kind'];

export const POLICY_DEFAULTS = Object.freeze({
  greedyEpsilon: 0.1,
  ucbAlpha: 0.3,
  ucbEpsilon: 0.02,
  thompsonSamples: 512,
  thompsonScale: 0.2,
  thompsonEpsilon: 0.02,
});

/** What to score: the user (for the personal part), the candidates' model vectors, a seeded rng. */
export interface ScoreRequest {
  readonly userId?: string;
  readonly candidates: readonly Vector[];
  /** Required by `thompson`; the library never reaches for Math.random. */
  readonly rng?: SeededRng;
}

/** One policy's answer for one request. */
export interface PolicyResult {
  readonly policy: PolicyKind;
  /** A full probability vector over the candidates; sums to 1. */
  readonly probabilities: number[];
  /** What the policy ranks by: 0 for uniform, the mean for greedy and thompson, mean + α·width for linucb. */
  readonly scores: number[];
  /** The model's predicted expected reward per candidate. */
  readonly means: number[];
  /** Thompson only: the number of posterior draws behind the probabilities. */
  readonly samples?: number;
  readonly modelVersion: string;
}
