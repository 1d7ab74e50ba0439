import { BanditError, assertArgument } from '../errors/bandit-error';

// Math's functions as module constants: under jest (a vm context) every lookup of the global
// `Math` goes through an interceptor and costs ~100× a local read.
const { abs, max } = Math;

/**
 * 1/n for each of n candidates.
 *
 * @example
 * uniformProbabilities(4); // [0.25, 0.25, 0.25, 0.25]
 */
export function uniformProbabilities(n: number): number[] {
  if (n < 1) throw new BanditError('BANDIT_NO_CANDIDATES', 'there are no candidates to score');
  return new Array<number>(n).fill(1 / n);
}

/**
 * ε/n everywhere plus 1 − ε split evenly across the top scores. Scores within a relative 1e-12
 * of the best count as tied, so an untrained model (all zeros) is exactly uniform.
 *
 * @example
 * greedyProbabilities([1, 3, 3], 0.3); // [0.1, 0.45, 0.45]
 */
export function greedyProbabilities(scores: ArrayLike<number>, epsilon: number): number[] {
  checkEpsilon(epsilon);
  const n = scores.length;
  if (n < 1) throw new BanditError('BANDIT_NO_CANDIDATES', 'there are no candidates to score');
  let best = -Infinity;
  for (let i = 0; i < n; i++) best = max(best, scores[i] as number);
  const tol = 1e-12 * max(1, abs(best));
  let ties = 0;
  for (let i = 0; i < n; i++) if ((scores[i] as number) >= best - tol) ties += 1;
  const base = epsilon / n;
  const top = base + (1 - epsilon) / ties;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = (scores[i] as number) >= best - tol ? top : base;
  return out;
}

/**
 * Mixes a probability vector with uniform: (1 − ε)·p + ε/n.
 *
 * @example
 * mixUniform([1, 0], 0.2); // [0.9, 0.1]
 */
export function mixUniform(probabilities: ArrayLike<number>, epsilon: number): number[] {
  checkEpsilon(epsilon);
  const n = probabilities.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = (1 - epsilon) * (probabilities[i] as number) + epsilon / n;
  return out;
}

export function checkEpsilon(epsilon: number): void {
  assertArgument(epsilon >= 0 && epsilon <= 1, `epsilon must be in [0, 1], got ${epsilon}`);
}
