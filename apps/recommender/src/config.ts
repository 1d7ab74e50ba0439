import { z } from 'zod';
import { baseServiceSchema, DEFAULT_PORTS, durationMs, httpUrl, int, loadConfig, type Env } from '@oo/config';
import { SCORE_LIMITS } from '@oo/decision-features';

const policyName = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a policy name such as linucb');

// `none` turns shadows off: an empty variable counts as unset and would bring the default back.
const policyList = z
  .string()
  .default('thompson,epsilon-greedy,uniform')
  .transform((raw) => (raw.trim() === 'none' ? [] : raw.split(',').map((p) => p.trim())))
  .pipe(z.array(policyName).max(SCORE_LIMITS.policies - 1, `must name at most ${SCORE_LIMITS.policies - 1} policies`));

const probability = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().min(0, 'must be a number from 0 to 1').max(1, 'must be a number from 0 to 1'));

// Read without verifying: the point is to catch a user token or another service's token at start-up.
function serviceTokenClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload || token.split('.').length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const serviceToken = z.string().refine((token) => {
  const claims = serviceTokenClaims(token);
  return claims?.['token_use'] === 'service' && claims['sub'] === 'recommender';
}, 'must be a JWT with token_use "service" and sub "recommender"');

/** The recommender's configuration: the base keys plus its upstreams, policies and limits. */
export const recommenderConfigSchema = baseServiceSchema('recommender')
  .extend({
    /** Bearer token the recommender presents to profile and ml-serving. */
    SERVICE_TOKEN: serviceToken,
    PROFILE_URL: httpUrl().default(`http://127.0.0.1:${DEFAULT_PORTS.profile}`),
    ML_SERVING_URL: httpUrl().default(`http://127.0.0.1:${DEFAULT_PORTS['ml-serving']}`),
    /** Budget for reading the user's features; after it the registry's fallbacks are used. */
    PROFILE_TIMEOUT_MS: durationMs(80),
    /** Budget for scoring; after it the local policy chooses. */
    ML_TIMEOUT_MS: durationMs(60),
    /** How often the registry's fallbacks are fetched again from profile. */
    REGISTRY_REFRESH_MS: durationMs(300_000),
    LIVE_POLICY: policyName.default('linucb'),
    SHADOW_POLICIES: policyList,
    /** The most pressing open tasks offered to the policy; advice comes on top. */
    MAX_TASK_CANDIDATES: int({ min: 1, max: SCORE_LIMITS.candidates - 20, default: 40 }),
    /** Exploration of the local fallback policy. */
    LOCAL_POLICY_EPSILON: probability(0.2),
    /** How many events each consumer handles at once. */
    CONSUMER_CONCURRENCY: int({ min: 1, max: 256, default: 16 }),
  })
  .superRefine((config, ctx) => {
    if (config.SHADOW_POLICIES.includes(config.LIVE_POLICY)) {
      ctx.addIssue({ code: 'custom', path: ['SHADOW_POLICIES'], message: 'must not repeat LIVE_POLICY' });
    }
  });

export type RecommenderConfig = ReturnType<typeof loadRecommenderConfig>;

/** Reads and validates the environment once; throws a ConfigError listing every problem. */
export function loadRecommenderConfig(env: Env = process.env) {
  return loadConfig(recommenderConfigSchema, env);
}
