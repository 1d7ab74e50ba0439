import type { BanditModel } from '@oo/bandit';
import type { DecisionFeaturizer, ParsedScoreRequest, ScoreResponse } from '@oo/decision-features';
import { MlServingError } from '../../errors';
import { scoreDecision, type PolicyCatalog } from '@oo/model-state';

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
  const unknownPolicies = (names: readonly string[]): string[] => names.filter((name) => !catalog.has(name));

  const scoreOn = (model: BanditModel | undefined, request: ParsedScoreRequest): ScoreResponse => {
    if (model === undefined) throw new MlServingError('ML_MODEL_NOT_READY', 'the model is still loading');
    const unknown = unknownPolicies(request.policies);
    if (unknown.length > 0) throw new MlServingError('ML_UNKNOWN_POLICY', `unknown policy ${unknown[0]}`);
    return scoreDecision(model, featurizer, catalog, request);
  };

  return {
    unknownPolicies,
    score: (request) => scoreOn(deps.currentModel(), request),
    scoreForUser: async (request) =>
      deps.withUser ? deps.withUser(request.userId, (model) => scoreOn(model, request)) : scoreOn(deps.currentModel(), request),
  };
}
