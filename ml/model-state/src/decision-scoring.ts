import { createRng, scorePolicies, type BanditModel, type PolicySpec } from '@oo/bandit';
import type { DecisionFeaturizer, ParsedScoreRequest, ScoreResponse } from '@oo/decision-features';

/** Named policies a decision may be scored under (ml-serving's `POLICIES`); the replica gets it with the model. */
export type PolicyCatalog = ReadonlyMap<string, PolicySpec>;

/**
 * Scores one decision's candidates under each requested policy on `model`: featurize, predict
 * once, apply every policy. No I/O. The decision id seeds sampling, so the same request on the
 * same model version gets the same answer bit for bit — in ml-serving or in a replica.
 * Throws a RangeError naming the first policy the catalog does not know.
 *
 * @example
 * const response = scoreDecision(model, featurizer, catalog, request);
 */
export function scoreDecision(model: BanditModel, featurizer: DecisionFeaturizer, catalog: PolicyCatalog, request: ParsedScoreRequest): ScoreResponse {
  const specs = request.policies.map((name): PolicySpec => {
    const spec = catalog.get(name);
    if (spec === undefined) throw new RangeError(`unknown policy ${name}`);
    return spec;
  });
  const xs = featurizer.vectors(
    request.candidateFeatures,
    request.candidates.map((c) => c.features),
    request.context,
  );
  const results = scorePolicies(model, specs, { userId: request.userId, candidates: xs, rng: createRng(request.decisionId) });
  return {
    layoutVersion: featurizer.builder.layout.version,
    results: results.map((r, i) => ({
      policy: request.policies[i] as string,
      kind: r.policy,
      probabilities: r.probabilities,
      scores: r.scores,
      modelVersion: r.modelVersion,
      ...(r.samples !== undefined ? { samples: r.samples } : {}),
    })),
  };
}
