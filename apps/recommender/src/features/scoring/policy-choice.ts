import type { PolicyScores } from '@oo/decision-features';
import type { UpstreamFailure } from '../upstream/upstream-call';
import { LOCAL_POLICY, localPolicyProbabilities } from './local-policy';
import type { ScoreOutcome } from './ml-client';

/** Which probabilities a decision samples from, and what else it logs about the policies. */
export interface PolicyChoice {
  policy: string;
  modelVersion: string;
  layoutVersion: string;
  probabilities: number[];
  shadows: { policy: string; probabilities: number[]; modelVersion: string }[];
  fallback: boolean;
  fallbackReason?: UpstreamFailure;
}

// A vector we can sample from and log as a propensity: one finite, non-negative entry per candidate, summing to 1.
function isDistribution(p: readonly number[], n: number): boolean {
  if (p.length !== n) return false;
  let sum = 0;
  for (const x of p) {
    if (!Number.isFinite(x) || x < 0) return false;
    sum += x;
  }
  return Math.abs(sum - 1) < 1e-6;
}

/**
 * The live policy's answer when ml-serving gave a usable one; otherwise the local policy, marked
 * as a fallback with the reason. A shadow that is missing or malformed is logged with no
 * probabilities, as the decision log specifies.
 *
 * @example
 * const choice = choosePolicy(outcome, { live: 'linucb', shadows: ['thompson'] }, features, 0.2);
 */
export function choosePolicy(
  outcome: ScoreOutcome,
  policies: { live: string; shadows: readonly string[] },
  candidates: readonly (readonly number[])[],
  localEpsilon: number,
): PolicyChoice {
  const n = candidates.length;
  const results = outcome.ok ? new Map<string, PolicyScores>(outcome.response.results.map((r) => [r.policy, r])) : undefined;
  const live = results?.get(policies.live);
  if (!outcome.ok || !live || !isDistribution(live.probabilities, n)) {
    return {
      policy: LOCAL_POLICY,
      modelVersion: '',
      layoutVersion: '',
      probabilities: localPolicyProbabilities(candidates, localEpsilon),
      shadows: [],
      fallback: true,
      fallbackReason: outcome.ok ? 'error' : outcome.failure,
    };
  }
  return {
    policy: live.policy,
    modelVersion: live.modelVersion,
    layoutVersion: outcome.response.layoutVersion,
    probabilities: live.probabilities,
    shadows: policies.shadows.map((name) => {
      const shadow = results?.get(name);
      return shadow && isDistribution(shadow.probabilities, n)
        ? { policy: name, probabilities: shadow.probabilities, modelVersion: shadow.modelVersion }
        : { policy: name, probabilities: [], modelVersion: shadow?.modelVersion ?? '' };
    }),
    fallback: false,
  };
}
