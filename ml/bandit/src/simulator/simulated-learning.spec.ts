import { createModel } from '../model/bandit-model';
import type { PolicySpec } from '../policies/policy-types';
import { createRng } from '../random/seeded-rng';
import { DecisionSimulator } from './decision-simulator';
import { SimulationSession, type SimulationRun, type WindowStats } from './simulation-session';
import { simulatorFeaturizer } from './simulator-featurizer';
import { at } from '../../test/strict-access.helper';

// Every figure is the policy's expected reward per decision, Σ p_i·E[r_i], from the simulator's
// hidden truth: the same quantity as realised reward, without the sampling noise.
const DECISIONS = 3000;
const share = (run: SimulationRun, window: WindowStats = run) => (window.expected - run.uniform) / (run.oracle - run.uniform);
const fmt = (run: SimulationRun) => {
  const last = at(run.windows, run.windows.length - 1);
  return `mean ${run.expected.toFixed(3)}, last window ${last.expected.toFixed(3)} (${(100 * share(run, last)).toFixed(0)} % of the way from uniform ${run.uniform.toFixed(3)} to oracle ${run.oracle.toFixed(3)}), windows ${run.windows.map((w) => w.expected.toFixed(3)).join(' ')}`;
};

function play(policy: PolicySpec, seed = 1, decisions = DECISIONS): SimulationRun {
  const { builder, featurize } = simulatorFeaturizer();
  const session = new SimulationSession(new DecisionSimulator({ seed }), createRng(`learn-${seed}`));
  const model = policy.kind === 'uniform' ? undefined : createModel(builder.layout);
  return session.run({ decisions, policy, model, featurize, window: 1000 });
}

describe('learning on the simulator (delayed, noisy rewards)', () => {
  const uniform = play({ kind: 'uniform' });

  it.each<[string, PolicySpec]>([
    ['LinUCB', { kind: 'linucb' }],
    // 128 posterior draws per decision: the propensities are coarser, the learning the same.
    ['Thompson sampling', { kind: 'thompson', samples: 128 }],
  ])('%s approaches the oracle and clearly beats uniform within 3000 decisions', (name, policy) => {
    const run = play(policy);
    const last = at(run.windows, run.windows.length - 1);
    const first = at(run.windows, 0);
    console.log(`${name}: ${fmt(run)} | uniform ${uniform.expected.toFixed(3)}`);
    // Same decisions, same luck for both: the comparison is paired.
    expect(run.oracle).toBe(uniform.oracle);
    expect(last.expected - uniform.expected).toBeGreaterThan(0.12);
    expect(share(run, last)).toBeGreaterThan(0.65);
    expect(last.expected).toBeGreaterThan(first.expected);
    // Realised (delayed, noisy) rewards tell the same story.
    expect(run.realized).toBeGreaterThan(uniform.realized + 0.08);
  });

  it('uniform stays at the average candidate', () => {
    expect(Math.abs(uniform.expected - uniform.uniform)).toBeLessThan(1e-12);
  });

  it('gives the same learning curve for the same seed', () => {
    const short = (seed: number) => play({ kind: 'thompson', samples: 32 }, seed, 200).windows;
    expect(short(9)).toEqual(short(9));
    expect(short(9)).not.toEqual(short(10));
  });
});
