import { BanditError } from '../errors/bandit-error';
import type { Vector } from '../linalg/dense-kernels';
import { createLayout, type FeatureLayout } from './feature-layout';

/**
 * How candidate and context features combine into one model vector.
 *
 * The vector is the outer product (1 ⊕ c) ⊗ (1 ⊕ x), optionally restricted to chosen pairs:
 * - `bias`                         — the intercept;
 * - `cand.<name>`                  — candidate main effects (rank candidates for everyone);
 * - `ctx.<name>`                   — context main effects (same for every candidate, so they never
 *                                    change a ranking, but they calibrate predicted rewards, which
 *                                    DR estimates and UCB widths depend on);
 * - `cand.<name>*ctx.<name>`       — interactions: the only terms through which the context can
 *                                    change which candidate wins (e.g. "overdue tasks in the morning").
 */
export interface FeatureSpec {
  /** Names of the raw candidate features, in the order candidate vectors arrive. */
  readonly candidate: readonly string[];
  /** Names of the raw context features, in the order the context vector arrives. */
  readonly context: readonly string[];
  /** `'all'` (default) or the candidate × context pairs to keep. */
  readonly interactions?: 'all' | readonly (readonly [string, string])[];
}

/** A compiled spec: the layout it produces and a fast vector builder. */
export interface FeatureBuilder {
  readonly spec: FeatureSpec;
  readonly layout: FeatureLayout;
  /** One model vector per candidate, for the given context. */
  build(candidates: readonly Vector[], context: Vector): Float64Array[];
}

/**
 * Compiles a feature spec.
 *
 * @example
 * const builder = createFeatureBuilder({ candidate: ['is_overdue', 'priority'], context: ['tod_morning'] });
 * builder.layout.names; // ['bias', 'cand.is_overdue', 'cand.priority', 'ctx.tod_morning',
 *                       //  'cand.is_overdue*ctx.tod_morning', 'cand.priority*ctx.tod_morning']
 * const xs = builder.build([[1, 0.5], [0, 1]], [1]);
 */
export function createFeatureBuilder(spec: FeatureSpec): FeatureBuilder {
  const pairs = interactionPairs(spec);
  const names = [
    'bias',
    ...spec.candidate.map((c) => `cand.${c}`),
    ...spec.context.map((x) => `ctx.${x}`),
    ...pairs.map(([ci, xi]) => `cand.${spec.candidate[ci]}*ctx.${spec.context[xi]}`),
  ];
  const layout = createLayout(names);
  const nc = spec.candidate.length;
  const nx = spec.context.length;
  const dim = names.length;
  const left = Int32Array.from(pairs.map(([ci]) => ci));
  const right = Int32Array.from(pairs.map(([, xi]) => xi));

  const build = (candidates: readonly Vector[], context: Vector): Float64Array[] => {
    if (context.length !== nx) {
      throw new BanditError('BANDIT_DIMENSION_MISMATCH', `context has ${context.length} values, spec has ${nx}`);
    }
    return candidates.map((c, index) => {
      if (c.length !== nc) {
        throw new BanditError('BANDIT_DIMENSION_MISMATCH', `candidate ${index} has ${c.length} values, spec has ${nc}`);
      }
      const out = new Float64Array(dim);
      out[0] = 1;
      for (let i = 0; i < nc; i++) out[1 + i] = c[i] as number;
      for (let j = 0; j < nx; j++) out[1 + nc + j] = context[j] as number;
      const offset = 1 + nc + nx;
      for (let p = 0; p < left.length; p++) {
        out[offset + p] = (c[left[p] as number] as number) * (context[right[p] as number] as number);
      }
      return out;
    });
  };
  return Object.freeze({ spec, layout, build });
}

/**
 * Reads named values into a vector in the given order; absent names take `missing`.
 *
 * @example
 * toVector(['is_overdue', 'priority'], { priority: 0.75 }); // [0, 0.75]
 */
export function toVector(names: readonly string[], values: Readonly<Record<string, number>>, missing = 0): number[] {
  return names.map((name) => {
    const v = values[name];
    return v === undefined || !Number.isFinite(v) ? missing : v;
  });
}

function interactionPairs(spec: FeatureSpec): [number, number][] {
  const pairs: [number, number][] = [];
  if (spec.interactions === undefined || spec.interactions === 'all') {
    for (let i = 0; i < spec.candidate.length; i++) {
      for (let j = 0; j < spec.context.length; j++) pairs.push([i, j]);
    }
    return pairs;
  }
  for (const [c, x] of spec.interactions) {
    const ci = spec.candidate.indexOf(c);
    const xi = spec.context.indexOf(x);
    if (ci < 0 || xi < 0) {
      throw new BanditError('BANDIT_INVALID_ARGUMENT', `interaction ${c}*${x} names an unknown feature`);
    }
    pairs.push([ci, xi]);
  }
  return pairs;
}
