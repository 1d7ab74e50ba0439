import { assertArgument } from '../errors/bandit-error';

/**
 * The percentile interval of bootstrap replicates: the (1 − level)/2 and (1 + level)/2 quantiles,
 * linearly interpolated.
 *
 * @example
 * percentileInterval([0.1, 0.2, 0.3, 0.4], 0.5); // [0.175, 0.325]
 */
export function percentileInterval(replicates: ArrayLike<number>, level: number): [number, number] {
  assertArgument(level > 0 && level < 1, 'interval level must be in (0, 1)');
  assertArgument(replicates.length > 0, 'no bootstrap replicates');
  const sorted = Float64Array.from(replicates).sort();
  return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
}

function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  const frac = position - low;
  return (sorted[low] as number) * (1 - frac) + (sorted[high] as number) * frac;
}
