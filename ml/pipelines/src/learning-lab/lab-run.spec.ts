import { createRng } from '@oo/bandit';
import { LAB_FAMILIES, labFamily } from './lab-families';
import { labLearners } from './lab-learners';
import { runLab, type LabStretch } from './lab-run';

const share = (s: LabStretch) => s.chosen / s.oracle;
const learners = labLearners();

describe('learning lab', () => {
  it('replays a seed exactly and gives another seed another world', () => {
    const options = { family: labFamily('mix'), users: 12, decisions: 240, learner: learners.production };
    const a = runLab({ ...options, seed: 3 });
    expect(runLab({ ...options, seed: 3 })).toEqual(a);
    expect(runLab({ ...options, seed: 4 }).thirds[2].chosen).not.toBe(a.thirds[2].chosen);
  });

  it('never chooses better than the oracle, and a uniform learner earns what uniform choice would', () => {
    for (const family of LAB_FAMILIES) {
      const result = runLab({ family, seed: 1, users: 10, decisions: 600, learner: learners.uniform });
      for (const third of result.thirds) {
        expect(third.decisions).toBe(200);
        expect(third.chosen).toBeLessThanOrEqual(third.oracle + 1e-9);
        // Uniform choice's expected reward is the candidates' mean: the realised sum is within noise of it.
        expect(Math.abs(third.chosen - third.uniform) / third.uniform).toBeLessThan(0.2);
      }
    }
  });

  it('learns: the production learner ends well above uniform on every family', () => {
    for (const family of LAB_FAMILIES) {
      const result = runLab({ family, seed: 2, users: 16, decisions: 1200, learner: learners.production });
      const uniform = result.thirds[2].uniform / result.thirds[2].oracle;
      expect(share(result.thirds[2])).toBeGreaterThan(uniform + 0.1);
      expect(share(result.thirds[2])).toBeGreaterThan(share(result.thirds[0]));
    }
  });

  it('counts the last third per person type, and the types add up to the third', () => {
    const result = runLab({ family: labFamily('advice-kinds'), seed: 1, users: 16, decisions: 300, learner: learners.production });
    const types = [...result.lastThirdByType.values()];
    expect(types.length).toBeGreaterThan(1);
    expect(types.reduce((n, s) => n + s.decisions, 0)).toBe(result.thirds[2].decisions);
  });

  it('gives every family people who differ, and finite odds for any candidate', () => {
    for (const family of LAB_FAMILIES) {
      const rng = createRng(family.name);
      const tastes = Array.from({ length: 40 }, () => family.makeTaste(rng));
      expect(new Set(tastes.map((t) => t.type)).size).toBeGreaterThan(1);
      const task = { id: 't', priority: 4, overdue: true, dueInHours: -3, ageDays: 2 };
      const advice = { id: 'a', advice: 'break' as const, priority: 0, overdue: false, ageDays: 0 };
      for (const taste of tastes) {
        for (const c of [task, advice]) expect(Number.isFinite(family.logit(taste, c, { localHour: 9, weekend: false }))).toBe(true);
      }
    }
    expect(() => labFamily('nope')).toThrow(/known: urgency/);
  });
});
