/** How long to wait before the next try after `failures` failures in a row (1-based), with ±jitter. */
export function backoffDelayMs(failures: number, options: { baseMs: number; maxMs: number; jitter: number; random?: () => number }): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return withJitter(raw, options.jitter, options.random);
}

/**
 * `ms` spread by ±`jitter` (a fraction), so connections made together do not sync together.
 *
 * @example
 * withJitter(300_000, 0.1) // somewhere in 270 000 … 330 000
 */
export function withJitter(ms: number, jitter: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));
}
