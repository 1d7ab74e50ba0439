import { DecisionSimulator } from './decision-simulator';
import { CANDIDATE_FEATURES, CONTEXT_FEATURES } from './user-population';
import { at, must } from '../../test/strict-access.helper';

const HOUR = 3_600_000;

describe('decision simulator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const play = (seed: number) => {
      const sim = new DecisionSimulator({ seed });
      const decisions = Array.from({ length: 50 }, () => {
        const d = sim.nextDecision();
        sim.act(d, 0);
        return d;
      });
      return { decisions, outcomes: sim.drain() };
    };
    expect(play(1)).toEqual(play(1));
    expect(play(1).decisions[0]).not.toEqual(play(2).decisions[0]);
  });

  it('draws the same decisions whatever is chosen (common random numbers)', () => {
    const a = new DecisionSimulator({ seed: 5 });
    const b = new DecisionSimulator({ seed: 5 });
    for (let t = 0; t < 100; t++) {
      const da = a.nextDecision();
      const db = b.nextDecision();
      expect(db).toEqual(da);
      a.act(da, 0);
      b.act(db, db.candidates.length - 1);
    }
  });

  it('describes candidates and context with the published feature names and the hidden truth', () => {
    const sim = new DecisionSimulator({ seed: 2, minCandidates: 5, maxCandidates: 9 });
    const problems: string[] = [];
    const sizes = new Set<number>();
    for (let t = 0; t < 200; t++) {
      const d = sim.nextDecision();
      sizes.add(d.candidates.length);
      if (d.context.length !== CONTEXT_FEATURES.length) problems.push(`${d.id}: context length`);
      if (d.context.slice(0, 4).reduce((s, v) => s + v, 0) !== 1) problems.push(`${d.id}: time of day not one-hot`);
      if (d.candidates.some((c) => c.features.length !== CANDIDATE_FEATURES.length)) problems.push(`${d.id}: candidate length`);
      if (d.oracleReward !== Math.max(...d.expectedRewards) || d.expectedRewards[d.oracleIndex] !== d.oracleReward) problems.push(`${d.id}: oracle`);
      if (!d.expectedRewards.every((r) => r >= 0 && r <= 1)) problems.push(`${d.id}: expected reward outside [0, 1]`);
    }
    expect(problems).toEqual([]);
    expect([...sizes].sort()).toEqual([5, 6, 7, 8, 9]);
  });

  it('delivers reactions later, in time order, and silence only after the reward window', () => {
    const sim = new DecisionSimulator({ seed: 3, rewardWindowMs: 24 * HOUR });
    const served = new Map<string, number>();
    for (let t = 0; t < 500; t++) {
      const d = sim.nextDecision();
      sim.act(d, t % d.candidates.length);
      served.set(d.id, d.time);
    }
    const early = sim.takeDue();
    const late = sim.drain();
    const all = [...early, ...late];
    expect(all).toHaveLength(500);
    expect(early.every((o) => o.at <= sim.now)).toBe(true);
    expect(late.every((o) => o.at > sim.now)).toBe(true);
    for (let i = 1; i < all.length; i++) expect(at(all, i).at).toBeGreaterThanOrEqual(at(all, i - 1).at);
    for (const o of all) {
      expect(o.at).toBeGreaterThan(must(served.get(o.decisionId)));
      if (o.reaction === 'none') expect(o.at - o.decisionTime).toBe(24 * HOUR);
      else expect(o.at - o.decisionTime).toBeLessThanOrEqual(24 * HOUR);
    }
    const kinds = new Set(all.map((o) => o.reaction));
    expect([...kinds].sort()).toEqual(['dismiss', 'done', 'none', 'snooze']);
  });

  it('pays the configured reward for each reaction', () => {
    const rewards = { done: 5, snooze: 2, dismiss: -1, none: -3 };
    const sim = new DecisionSimulator({ seed: 4, rewards });
    for (let t = 0; t < 300; t++) sim.act(sim.nextDecision(), 0);
    for (const o of sim.drain()) expect(o.reward).toBe(rewards[o.reaction]);
  });

  it('matches its stated expected rewards on average', () => {
    const sim = new DecisionSimulator({ seed: 6 });
    let expected = 0;
    let realized = 0;
    const n = 4000;
    for (let t = 0; t < n; t++) {
      const d = sim.nextDecision();
      const chosen = t % d.candidates.length;
      expected += at(d.expectedRewards, chosen);
      sim.act(d, chosen);
    }
    for (const o of sim.drain()) realized += o.reward;
    // Rewards lie in [0, 1]: the standard error of the mean is below 0.008.
    expect(Math.abs(realized / n - expected / n)).toBeLessThan(0.025);
  });

  it('refuses to act twice on a decision or on a missing candidate', () => {
    const sim = new DecisionSimulator({ seed: 7 });
    const d = sim.nextDecision();
    expect(() => sim.act(d, 99)).toThrow(/out of range/);
    sim.act(d, 0);
    expect(() => sim.act(d, 0)).toThrow(/already/);
  });
});
