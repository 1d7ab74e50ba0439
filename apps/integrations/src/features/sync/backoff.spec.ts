import { backoffDelayMs, withJitter } from './backoff';

describe('backoff', () => {
  const exact = { baseMs: 1_000, maxMs: 60_000, jitter: 0, random: () => 0.5 };

  it('doubles from the base and stops at the maximum', () => {
    expect([1, 2, 3, 4, 7, 50].map((n) => backoffDelayMs(n, exact))).toEqual([1_000, 2_000, 4_000, 8_000, 60_000, 60_000]);
  });

  it('spreads a delay by the jitter fraction either way', () => {
    expect(withJitter(1_000, 0.1, () => 0)).toBe(900);
    expect(withJitter(1_000, 0.1, () => 1)).toBe(1_100);
    expect(withJitter(1_000, 0.1, () => 0.5)).toBe(1_000);
  });
});
