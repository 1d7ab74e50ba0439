import { BanditError } from '../errors/bandit-error';
import { SeededRng, createRng, type Seed } from '../random/seeded-rng';

/**
 * Samples an index from a probability vector with a seeded draw — with the decision id as the
 * seed, a decision can be replayed exactly. A running `SeededRng` may be passed instead (one
 * stream for a whole simulation). Returns the index and its propensity.
 *
 * @example
 * const { index, propensity } = chooseIndex(live.probabilities, decisionId);
 */
export function chooseIndex(probabilities: readonly number[], seed: Seed | SeededRng): { index: number; propensity: number } {
  if (probabilities.length === 0) throw new BanditError('BANDIT_NO_CANDIDATES', 'nothing to choose from');
  let total = 0;
  for (const p of probabilities) {
    if (!(p >= 0) || !Number.isFinite(p)) throw new BanditError('BANDIT_INVALID_ARGUMENT', 'probabilities must be finite and ≥ 0');
    total += p;
  }
  if (total <= 0) throw new BanditError('BANDIT_INVALID_ARGUMENT', 'probabilities sum to zero');
  const rng = seed instanceof SeededRng ? seed : createRng(seed);
  const target = rng.float() * total;
  let acc = 0;
  let last = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p <= 0) continue;
    last = i;
    acc += p;
    if (target < acc) return { index: i, propensity: p / total };
  }
  // Round-off can leave target a hair above the final sum; the last positive entry owns it.
  return { index: last, propensity: (probabilities[last] as number) / total };
}
