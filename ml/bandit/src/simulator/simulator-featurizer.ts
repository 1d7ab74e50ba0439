import { BanditError } from '../errors/bandit-error';
import { createFeatureBuilder, type FeatureBuilder, type FeatureSpec } from '../features/feature-builder';
import type { Featurize } from './simulation-session';
import { CANDIDATE_FEATURES, CONTEXT_FEATURES } from './user-population';

/**
 * A feature builder over a chosen subset (and order) of the simulator's raw features, with the
 * matching `Featurize` — how tests and the pipelines' simulator try different layouts.
 *
 * @example
 * const { builder, featurize } = simulatorFeaturizer({ candidate: ['is_overdue', 'priority'], context: ['tod_morning'] });
 * session.run({ decisions: 1000, policy: { kind: 'linucb' }, model: createModel(builder.layout), featurize });
 */
export function simulatorFeaturizer(spec: Partial<FeatureSpec> = {}): { builder: FeatureBuilder; featurize: Featurize } {
  const candidate = spec.candidate ?? CANDIDATE_FEATURES;
  const context = spec.context ?? CONTEXT_FEATURES;
  const candidateIndex = positions(candidate, CANDIDATE_FEATURES);
  const contextIndex = positions(context, CONTEXT_FEATURES);
  const builder = createFeatureBuilder({ ...spec, candidate, context });
  const featurize: Featurize = (decision) =>
    builder.build(
      decision.candidates.map((c) => Array.from(candidateIndex, (i) => c.features[i] ?? 0)),
      Array.from(contextIndex, (i) => decision.context[i] ?? 0),
    );
  return { builder, featurize };
}

function positions(names: readonly string[], known: readonly string[]): Int32Array {
  return Int32Array.from(names, (name) => {
    const i = known.indexOf(name);
    if (i < 0) throw new BanditError('BANDIT_INVALID_ARGUMENT', `the simulator has no feature "${name}"`);
    return i;
  });
}
