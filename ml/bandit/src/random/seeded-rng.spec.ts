import { createRng, hashSeed, SeededRng } from './seeded-rng';

describe('seeded rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const draw = (seed: number | string) => {
      const rng = createRng(seed);
      return Array.from({ length: 8 }, () => rng.uint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw('decision-1')).toEqual(draw('decision-1'));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw('decision-1')).not.toEqual(draw('decision-2'));
    expect(draw(1)).not.toEqual(draw(2 ** 32 + 1));
  });

  it('produces uniform floats in [0, 1) with the right mean and variance', () => {
    const rng = createRng(7);
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.float();
      if (!(u >= 0 && u < 1)) outside += 1;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
  });

  it('produces standard normals: moments, CDF and tails match N(0, 1)', () => {
    const rng = createRng('normals');
    const n = 200_000;
    const draws = new Float64Array(n);
    let sum = 0;
    let sumSq = 0;
    let sumFourth = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      draws[i] = z;
      sum += z;
      sumSq += z * z;
      sumFourth += z ** 4;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(sumSq / n).toBeCloseTo(1, 1);
    expect(sumFourth / n).toBeGreaterThan(2.9);
    expect(sumFourth / n).toBeLessThan(3.1);
    draws.sort();
    // Φ at a few points, tails included (3.5 lies beyond the ziggurat's base strip at 3.44).
    const cdf: [number, number][] = [[-3.5, 0.000233], [-1.96, 0.025], [-1, 0.158655], [0, 0.5], [0.5, 0.691462], [1.96, 0.975], [3.5, 0.999767]];
    for (const [z, phi] of cdf) {
      let below = 0;
      while (below < n && (draws[below] ?? Infinity) < z) below += 1;
      // Binomial standard error at n = 200 000 is at most 0.0011; allow four of them.
      expect(Math.abs(below / n - phi)).toBeLessThan(0.0045);
    }
    // Beyond ±3.5 only the tail algorithm produces draws: expect 2·0.000233·n ≈ 93 (sd ≈ 10).
    const extreme = draws.filter((z) => Math.abs(z) > 3.5).length;
    expect(extreme).toBeGreaterThan(60);
    expect(extreme).toBeLessThan(130);
  });

  it('draws integers in range, covering every value', () => {
    const rng = createRng(3);
    const seen = new Array<number>(5).fill(0);
    for (let i = 0; i < 5000; i++) {
      const k = rng.int(5);
      seen[k] = (seen[k] ?? 0) + 1;
    }
    expect(seen).toHaveLength(5);
    expect(seen.every((c) => c > 800)).toBe(true);
  });

  it('resumes exactly from a saved state', () => {
    const rng = createRng(9);
    rng.uint32();
    const saved = rng.state();
    const expected = [rng.uint32(), rng.uint32(), rng.uint32()];
    const resumed = new SeededRng(saved);
    expect([resumed.uint32(), resumed.uint32(), resumed.uint32()]).toEqual(expected);
  });

  it('forks independent, reproducible child streams', () => {
    const a = createRng(5).fork('child');
    const b = createRng(5).fork('child');
    const c = createRng(5).fork('other');
    expect(a.uint32()).toBe(b.uint32());
    expect(createRng(5).fork('child').float()).not.toBe(c.float());
  });

  it('never starts from the all-zero state', () => {
    const rng = new SeededRng([0, 0, 0, 0]);
    expect(rng.uint32() + rng.uint32() + rng.uint32()).toBeGreaterThan(0);
    expect(hashSeed(0)).not.toEqual([0, 0, 0, 0]);
  });
});
