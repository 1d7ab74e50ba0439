import { createRng } from '@oo/bandit';
import type { TipFeedback, TipServed } from '@oo/contracts';
import { CANDIDATES, feedback, Reaction, served } from './decisions';

/** How often each of the three candidates is done: the world the log is drawn from. */
export const DONE_RATE = [0.2, 0.5, 0.8] as const;
export const LOGGER = 'uniform';
/** 0.8 on the best candidate: true value 0.71, against the uniform logger's 0.5. */
export const BETTER = 'linucb';
/** 0.8 on the worst candidate: true value 0.29. */
export const WORSE = 'thompson';
const BETTER_PROBABILITIES = [0.1, 0.1, 0.8];
const WORSE_PROBABILITIES = [0.8, 0.1, 0.1];

/**
 * A decision log with a known answer: `count` decisions chosen uniformly at random by the live
 * policy `uniform`, scored in shadow by a better and a worse policy, and each reacted to (done
 * or dismissed) ten minutes later with the candidate's done rate; every `fallbackEvery`-th decision
 * is one the recommender's local policy made instead. Seeded: the same log every run.
 *
 * @example
 * const { served, feedback } = promotionLog({ first: 0, count: 300, start });
 */
export function promotionLog(options: { first: number; count: number; start: Date; gapMs?: number; fallbackEvery?: number }): { served: TipServed[]; feedback: TipFeedback[] } {
  const out = { served: [] as TipServed[], feedback: [] as TipFeedback[] };
  for (let t = options.first; t < options.first + options.count; t++) {
    const rng = createRng(`promotion-log:${t}`);
    const chosen = rng.int(CANDIDATES.length);
    const decisionId = `p-${t}`;
    const userId = `u-${t % 17}`;
    const at = new Date(options.start.getTime() + t * (options.gapMs ?? 60_000));
    // ml-serving slow or down: the recommender's local policy chose, and no shadow scored.
    const fallback = options.fallbackEvery !== undefined && t % options.fallbackEvery === 0;
    out.served.push({
      ...served(decisionId, userId, chosen, at),
      policy: LOGGER,
      modelVersion: '',
      probabilities: CANDIDATES.map(() => 1 / CANDIDATES.length),
      propensity: 1 / CANDIDATES.length,
      ...(fallback ? { policy: 'local-default', fallback: true, fallbackReason: 'timeout' } : {}),
      shadowPolicies: fallback
        ? []
        : [
            { $typeName: 'oo.signals.v1.ShadowPolicyScores', policy: BETTER, probabilities: BETTER_PROBABILITIES, modelVersion: 'x' },
            { $typeName: 'oo.signals.v1.ShadowPolicyScores', policy: WORSE, probabilities: WORSE_PROBABILITIES, modelVersion: 'x' },
          ],
    });
    const done = rng.float() < (DONE_RATE[chosen] as number);
    out.feedback.push(feedback(decisionId, userId, done ? Reaction.DONE : Reaction.DISMISS, new Date(at.getTime() + 600_000)));
  }
  return out;
}
