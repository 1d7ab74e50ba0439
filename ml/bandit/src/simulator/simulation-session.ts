import { BanditError } from '../errors/bandit-error';
import { updateModel, type BanditModel } from '../model/bandit-model';
import { chooseIndex } from '../policies/choose-index';
import { scorePolicy } from '../policies/policy-scoring';
import { uniformProbabilities } from '../policies/probability-rules';
import type { PolicyResult, PolicySpec } from '../policies/policy-types';
import type { SeededRng } from '../random/seeded-rng';
import type { DecisionSimulator } from './decision-simulator';
import type { SimDecision, SimOutcome } from './simulation-types';

/** Turns a simulated decision into one model vector per candidate. */
export type Featurize = (decision: SimDecision) => Float64Array[];

export interface RunOptions {
  readonly decisions: number;
  readonly policy: PolicySpec;
  /** Scores with and (unless `learn` is false) learns into this model; uniform needs none. */
  readonly model?: BanditModel;
  readonly featurize: Featurize;
  readonly learn?: boolean;
  /** Learning-curve window size in decisions (default 500). */
  readonly window?: number;
  /** Sees every decision as logged: for off-policy evaluation data sets. */
  readonly onDecision?: (record: DecisionRecord) => void;
  /** Sees every outcome as it arrives, whether or not it is learned. */
  readonly onOutcome?: (outcome: SimOutcome) => void;
}

/** What `settle` needs: where to learn the last outcomes and who else wants to see them. */
export type SettleOptions = Pick<RunOptions, 'model' | 'featurize' | 'learn' | 'onOutcome'>;

export interface DecisionRecord {
  readonly decision: SimDecision;
  readonly vectors: Float64Array[];
  readonly probabilities: readonly number[];
  readonly chosen: number;
}

/** Averages per decision over a stretch of a run; `expected` is Σ p_i·E[r_i] under the policy. */
export interface WindowStats {
  readonly from: number;
  readonly to: number;
  readonly expected: number;
  readonly oracle: number;
  readonly uniform: number;
}

export interface SimulationRun extends WindowStats {
  /** Mean reward of the outcomes that arrived during the run (delayed, noisy). */
  readonly realized: number;
  readonly arrived: number;
  readonly windows: readonly WindowStats[];
}

/**
 * Drives a policy through a simulator online: before each decision the rewards that have
 * arrived by then are learned (so learning lags serving, as in production), then the policy
 * scores the candidates and one is sampled from its probabilities. A session outlives a run, so
 * a model can be swapped — migrated or reset — between runs while late rewards keep arriving;
 * a reward is learned with the featurizer current when it arrives.
 *
 * @example
 * const session = new SimulationSession(new DecisionSimulator({ seed: 1 }), createRng(1));
 * const run = session.run({ decisions: 3000, policy: { kind: 'linucb' }, model, featurize });
 * run.expected / run.oracle;
 */
export class SimulationSession {
  private readonly served = new Map<string, { decision: SimDecision; chosen: number }>();

  constructor(
    readonly simulator: DecisionSimulator,
    private readonly rng: SeededRng,
  ) {}

  /**
   * An independent copy of the session and its world at this point, to compare what happens
   * next under different choices (say, a migrated model against a reset one) from one shared past.
   */
  fork(): SimulationSession {
    const copy = new SimulationSession(this.simulator.clone(), this.rng.clone());
    for (const [id, served] of this.served) copy.served.set(id, served);
    return copy;
  }

  run(options: RunOptions): SimulationRun {
    const { model, featurize } = options;
    const windowSize = options.window ?? 500;
    const windows: WindowStats[] = [];
    const total = { expected: 0, oracle: 0, uniform: 0, realized: 0, arrived: 0 };
    let current = { expected: 0, oracle: 0, uniform: 0, count: 0 };
    for (let t = 0; t < options.decisions; t++) {
      for (const outcome of this.deliver(this.simulator.takeDue(), options)) {
        total.realized += outcome.reward;
        total.arrived += 1;
      }
      const decision = this.simulator.nextDecision();
      const vectors = featurize(decision);
      const probabilities = this.probabilities(options.policy, model, decision, vectors).probabilities;
      const { index } = chooseIndex(probabilities, this.rng);
      this.simulator.act(decision, index);
      this.served.set(decision.id, { decision, chosen: index });
      options.onDecision?.({ decision, vectors, probabilities, chosen: index });

      const q = decision.expectedRewards;
      let value = 0;
      let mean = 0;
      q.forEach((r, i) => {
        value += r * (probabilities[i] as number);
        mean += r / q.length;
      });
      current = {
        expected: current.expected + value,
        oracle: current.oracle + decision.oracleReward,
        uniform: current.uniform + mean,
        count: current.count + 1,
      };
      if (current.count === windowSize || t === options.decisions - 1) {
        windows.push(averages(t + 1 - current.count, t + 1, current));
        total.expected += current.expected;
        total.oracle += current.oracle;
        total.uniform += current.uniform;
        current = { expected: 0, oracle: 0, uniform: 0, count: 0 };
      }
    }
    const n = Math.max(options.decisions, 1);
    return {
      from: 0,
      to: options.decisions,
      expected: total.expected / n,
      oracle: total.oracle / n,
      uniform: total.uniform / n,
      realized: total.arrived > 0 ? total.realized / total.arrived : 0,
      arrived: total.arrived,
      windows,
    };
  }

  /**
   * Lets the reward window pass for every decision still open: their outcomes are learned (when
   * a model is given) and reported. Returns them.
   */
  settle(options: SettleOptions): SimOutcome[] {
    return this.deliver(this.simulator.drain(), options);
  }

  private deliver(outcomes: SimOutcome[], options: SettleOptions): SimOutcome[] {
    const delivered: SimOutcome[] = [];
    for (const outcome of outcomes) {
      const served = this.served.get(outcome.decisionId);
      if (served === undefined) continue;
      this.served.delete(outcome.decisionId);
      delivered.push(outcome);
      options.onOutcome?.(outcome);
      if (options.model !== undefined && (options.learn ?? true)) {
        const x = options.featurize(served.decision)[served.chosen];
        if (x !== undefined) updateModel(options.model, { userId: outcome.userId, features: x, reward: outcome.reward });
      }
    }
    return delivered;
  }

  private probabilities(spec: PolicySpec, model: BanditModel | undefined, decision: SimDecision, vectors: Float64Array[]): Pick<PolicyResult, 'probabilities'> {
    if (model === undefined) {
      if (spec.kind !== 'uniform') throw new BanditError('BANDIT_INVALID_ARGUMENT', `policy ${spec.kind} needs a model`);
      return { probabilities: uniformProbabilities(vectors.length) };
    }
    return scorePolicy(model, spec, { userId: decision.userId, candidates: vectors, rng: this.rng });
  }
}

function averages(from: number, to: number, sums: { expected: number; oracle: number; uniform: number; count: number }): WindowStats {
  const n = Math.max(sums.count, 1);
  return { from, to, expected: sums.expected / n, oracle: sums.oracle / n, uniform: sums.uniform / n };
}
