import { createRng } from '@oo/bandit';
import { TIMES_OF_DAY } from '@oo/decision-features';
import { CATEGORIES, createHiddenWorld, type WorldCandidate, type WorldMoment } from './hidden-world';

const candidate = (category: WorldCandidate['category'], extra: Partial<WorldCandidate> = {}): WorldCandidate => ({
  id: `${category}-x`,
  category,
  overdue: false,
  urgency: 0,
  ...extra,
});
const weekday = (tod: WorldMoment['tod']): WorldMoment => ({ tod, weekend: false });

describe('the hidden world', () => {
  it('is the same world for the same seed and a different one for another seed', () => {
    const a = createHiddenWorld({ seed: 7, users: 5 });
    const b = createHiddenWorld({ seed: 7, users: 5 });
    const c = createHiddenWorld({ seed: 8, users: 5 });
    const grid = (w: typeof a) =>
      CATEGORIES.flatMap((cat) => TIMES_OF_DAY.map((tod) => w.doneProbability(3, candidate(cat, { overdue: true, urgency: 1 }), weekday(tod))));
    expect(grid(a)).toEqual(grid(b));
    expect(grid(a)).not.toEqual(grid(c));
  });

  it('replays reactions exactly from a seeded stream', () => {
    const world = createHiddenWorld({ seed: 1, users: 3 });
    const draw = () => {
      const rng = createRng('decision-42');
      return Array.from({ length: 50 }, () => world.react(1, candidate('advice:break'), weekday('afternoon'), rng));
    };
    expect(draw()).toEqual(draw());
  });

  it('gives users their own taste on top of the population', () => {
    const world = createHiddenWorld({ seed: 1, users: 20 });
    const tasteFor = (user: number) => world.doneProbability(user, candidate('task:todoist'), weekday('morning'));
    expect(new Set(Array.from({ length: 20 }, (_, u) => tasteFor(u).toFixed(6))).size).toBe(20);
    expect(() => tasteFor(20)).toThrow(RangeError);
  });

  it('makes time of day, overdue and urgency matter the way the population table says', () => {
    const world = createHiddenWorld({ seed: 1, users: 1, userSpread: 0 });
    const p = (c: WorldCandidate, tod: WorldMoment['tod']) => world.doneProbability(0, c, weekday(tod));
    expect(p(candidate('task:todoist'), 'morning')).toBeGreaterThan(p(candidate('task:todoist'), 'night'));
    expect(p(candidate('advice:reflect'), 'evening')).toBeGreaterThan(p(candidate('advice:reflect'), 'morning'));
    expect(p(candidate('task:other', { urgency: 1 }), 'morning')).toBeGreaterThan(p(candidate('task:other'), 'morning'));
  });

  it('has E[reward] = p·done + (1 − p)·(0.35 snooze + 0.40 dismiss + 0.25 none), within [min, max] reward', () => {
    const world = createHiddenWorld({ seed: 2, users: 2, rewards: { done: 1, snooze: 0.5, dismiss: -1, none: 0.2 } });
    const c = candidate('advice:focus');
    const p = world.doneProbability(1, c, weekday('morning'));
    expect(world.expectedReward(1, c, weekday('morning'))).toBeCloseTo(p + (1 - p) * (0.35 * 0.5 - 0.4 + 0.25 * 0.2), 12);
  });

  it('samples reactions at the rates it states', () => {
    const world = createHiddenWorld({ seed: 3, users: 1 });
    const c = candidate('task:google_tasks', { overdue: true, urgency: 2 / 3 });
    const moment = weekday('afternoon');
    const rng = createRng(99);
    const n = 20_000;
    const counts = { done: 0, snooze: 0, dismiss: 0, none: 0 };
    for (let i = 0; i < n; i++) counts[world.react(0, c, moment, rng)]++;
    const p = world.doneProbability(0, c, moment);
    const tolerance = 4 * Math.sqrt(0.25 / n);
    expect(Math.abs(counts.done / n - p)).toBeLessThan(tolerance);
    expect(Math.abs(counts.snooze / n - (1 - p) * 0.35)).toBeLessThan(tolerance);
    expect(Math.abs(counts.none / n - (1 - p) * 0.25)).toBeLessThan(tolerance);
  });
});
