import { createRng, scorePolicies, type BanditModel, type PolicySpec } from '@oo/bandit';
import type { DecisionFeaturizer, ParsedScoreRequest, ScoreResponse } from '@oo/decision-features';
import { MlServingError } from '../../errors';
import type { PolicyCatalog } from './policy-catalog';

export interface ScorerDeps {
  featurizer: DecisionFeaturizer;
  catalog: PolicyCatalog;
  /** The model to score with right now, or undefined while it is still loading. */
  currentModel: () => BanditModel | undefined;
  /** Runs `use` on the model with the user's part in memory (`LiveModel.withUser`); without it, `currentModel`. */
  withUser?: <T>(userId: string, use: (model: BanditModel) => T) => Promise<T>;
}

/** Scores one decision's candidates under each named policy, from the in-memory model only. */
export interface Scorer {
  /** Names in `names` that the catalog does not know, in request order. */
  unknownPolicies(names: readonly string[]): string[];
  /** On the model as it is in memory now. */
  score(request: ParsedScoreRequest): ScoreResponse;
  /** After making sure the requesting user's part is in memory (it may have been dropped). */
  scoreForUser(request: ParsedScoreRequest): Promise<ScoreResponse>;
}

/**
 * The hot path: featurize, predict once, apply every policy. No I/O, so its latency is the
 * model's arithmetic; the decision id seeds sampling, so a repeated request (same model version)
 * gets the same answer.
 *
 * @example
 * const scorer = createScorer({ featurizer, catalog, currentModel: () => live.current() });
 * const { results } = scorer.score(request);
 */
export function createScorer(deps: ScorerDeps): Scorer {
  const { featurizer, catalog } = deps;
  const layoutVersion = featurizer.builder.layout.version;
  const unknownPolicies = (names: readonly string[]): string[] => names.filter((name) => !catalog.has(name));

  const scoreOn = (model: BanditModel | undefined, request: ParsedScoreRequest): ScoreResponse => {
    if (model === undefined) throw new MlServingError('ML_MODEL_NOT_READY', 'the model is still loading');
    const specs = request.policies.map((name): PolicySpec => {
      const spec = catalog.get(name);
      if (spec === undefined) throw new MlServingError('ML_UNKNOWN_POLICY', `unknown policy ${name}`);
      return spec;
    });
    const xs = featurizer.vectors(
      request.candidateFeatures,
      request.candidates.map((c) => c.features),
      request.context,
    );
    const results = scorePolicies(model, specs, { userId: request.userId, candidates: xs, rng: createRng(request.decisionId) });
    return {
      layoutVersion,
      results: results.map((r, i) => ({
        policy: request.policies[i] as string,
        kind: r.policy,
        probabilities: r.probabilities,
        scores: r.scores,
        modelVersion: r.modelVersion,
        ...(r.samples !== undefined ? { samples: r.samples } : {}),
      })),
    };
  };

  return {
    unknownPolicies,
    score: (request) => scoreOn(deps.currentModel(), request),
    scoreForUser: async (request) =>
      deps.withUser ? deps.withUser(request.userId, (model) => scoreOn(model, request)) : scoreOn(deps.currentModel(), request),
  };
}
