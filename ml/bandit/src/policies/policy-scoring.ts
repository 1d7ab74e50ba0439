import { BanditError, assertArgument } from '../errors/bandit-error';
import { modelVersion, type BanditModel } from '../model/bandit-model';
import { predict, type Prediction } from '../model/model-prediction';
import { greedyProbabilities, mixUniform, uniformProbabilities } from './probability-rules';
import { POLICY_DEFAULTS, type PolicyResult, type PolicySpec, type ScoreRequest } from './policy-types';
import { thompsonWinRates } from './thompson-sampling';

/**
 * Scores one request under one policy.
 *
 * @example
 * const result = scorePolicy(model, { kind: 'linucb', alpha: 0.3, epsilon: 0.05 }, { userId: 'u1', candidates: xs });
 * result.probabilities; // sums to 1
 */
export function scorePolicy(model: BanditModel, spec: PolicySpec, request: ScoreRequest): PolicyResult {
  const [result] = scorePolicies(model, [spec], request);
  if (result === undefined) throw new BanditError('BANDIT_INVALID_STATE', 'no result for the policy');
  return result;
}

/**
 * Scores one request under several policies (the live one and its shadows), computing the
 * model's prediction once. Thompson policies draw from `request.rng` in the order given, so the
 * same seed and the same specs give the same answer.
 *
 * @example
 * const [live, shadow] = scorePolicies(model, [{ kind: 'thompson' }, { kind: 'linucb' }],
 *   { userId: 'u1', candidates: xs, rng: createRng(decisionId) });
 */
export function scorePolicies(model: BanditModel, specs: readonly PolicySpec[], request: ScoreRequest): PolicyResult[] {
  const n = request.candidates.length;
  if (n < 1) throw new BanditError('BANDIT_NO_CANDIDATES', 'there are no candidates to score');
  const prediction = predict(model, request.userId, request.candidates);
  const version = modelVersion(model);
  return specs.map((spec) => scoreWith(spec, prediction, request, version));
}

function scoreWith(spec: PolicySpec, prediction: Prediction, request: ScoreRequest, version: string): PolicyResult {
  const means = Array.from(prediction.means);
  switch (spec.kind) {
    case 'uniform':
      return {
        policy: spec.kind,
        probabilities: uniformProbabilities(prediction.n),
        scores: new Array<number>(prediction.n).fill(0),
        means,
        modelVersion: version,
      };
    case 'epsilon-greedy':
      return {
        policy: spec.kind,
        probabilities: greedyProbabilities(prediction.means, spec.epsilon ?? POLICY_DEFAULTS.greedyEpsilon),
        scores: means,
        means,
        modelVersion: version,
      };
    case 'linucb': {
      const alpha = spec.alpha ?? POLICY_DEFAULTS.ucbAlpha;
      assertArgument(alpha >= 0 && Number.isFinite(alpha), 'linucb alpha must be ≥ 0');
      const widths = prediction.widths();
      const scores = means.map((m, i) => m + alpha * (widths[i] as number));
      return {
        policy: spec.kind,
        probabilities: greedyProbabilities(scores, spec.epsilon ?? POLICY_DEFAULTS.ucbEpsilon),
        scores,
        means,
        modelVersion: version,
      };
    }
    case 'thompson': {
      if (request.rng === undefined) {
        throw new BanditError('BANDIT_INVALID_ARGUMENT', 'thompson sampling needs a seeded rng in the request');
      }
      const samples = spec.samples ?? POLICY_DEFAULTS.thompsonSamples;
      const winRates = thompsonWinRates(
        prediction.means,
        prediction.covariance(),
        spec.scale ?? POLICY_DEFAULTS.thompsonScale,
        samples,
        request.rng,
      );
      return {
        policy: spec.kind,
        probabilities: mixUniform(winRates, spec.epsilon ?? POLICY_DEFAULTS.thompsonEpsilon),
        scores: means,
        means,
        samples,
        modelVersion: version,
      };
    }
  }
}
