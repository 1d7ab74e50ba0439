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

/**
 * The recommender's configuration: the base keys plus its upstreams, policies and limits. Its
 * token for profile and ml-serving comes from the kit (`ctx.serviceToken()`: AUTH_TOKEN_URL,
 * SERVICE_CLIENT_SECRET_FILE or SERVICE_CLIENT_SECRET).
 */
export const recommenderConfigSchema = baseServiceSchema('recommender')
  .extend({
    PROFILE_URL: httpUrl().default(`http://127.0.0.1:${DEFAULT_PORTS.profile}`),
    ML_SERVING_URL: httpUrl().default(`http://127.0.0.1:${DEFAULT_PORTS['ml-serving']}`),
    /** Budget for reading the user's features; after it the registry's fallbacks are used. */
    PROFILE_TIMEOUT_MS: durationMs(80),
    /** Budget for scoring; after it the local policy chooses. */
    ML_TIMEOUT_MS: durationMs(60),
    /** How often the registry's fallbacks are fetched again from profile. */
    REGISTRY_REFRESH_MS: durationMs(300_000),
    /** `on`: decisions are scored in process on a replica of ml-serving's model, which follows its log; `off`: every decision calls ml-serving. */
    MODEL_REPLICA: z.enum(['on', 'off']).default('on'),
    /** Personal model parts the replica holds; other users' decisions are scored by ml-serving. */
    MODEL_REPLICA_MAX_USERS: int({ min: 1, max: 1_000_000, default: 10_000 }),
    /** How long one long poll of ml-serving's observation log waits for something new. */
    MODEL_REPLICA_WAIT_MS: durationMs(5_000),
    /** Without a word from ml-serving for this long, the replica stops scoring and ml-serving (or the local policy) does. */
    MODEL_REPLICA_MAX_LAG_MS: durationMs(30_000),
    LIVE_POLICY: policyName.default('linucb'),
    SHADOW_POLICIES: policyList,
    /** The most pressing open tasks offered to the policy; advice comes on top. */
    MAX_TASK_CANDIDATES: int({ min: 1, max: SCORE_LIMITS.candidates - 20, default: 40 }),
    /** Exploration of the local fallback policy. */
    LOCAL_POLICY_EPSILON: probability(0.2),
    /**
     * Days decisions (with their feedback), task tombstones and erased-user records are kept. More
     * than the streams' 30 days, so no late event can outlive a tombstone or an erasure record; the
     * off-policy evaluation window (`npm run ope -- --since`, which reads the 30-day SIGNALS stream
     * or an export) must fit inside it.
     */
    DECISION_RETENTION_DAYS: int({ min: 31, max: 3650, default: 180 }),
    /** `on`: the nudge scheduler runs on this instance (every instance may run it: a slot runs once). */
    NUDGES: z.enum(['on', 'off']).default('on'),
    /** How often the scheduler looks for users whose check is due. */
    NUDGE_TICK_MS: durationMs(30_000),
    /** Users looked at per pass, at once. */
    NUDGE_BATCH: int({ min: 1, max: 500, default: 20 }),
    /** How long a user the scheduler is looking at is this instance's alone. */
    NUDGE_LEASE_MS: durationMs(300_000),
    /** The local hour of the first nudge while profile knows no preferred hour. */
    NUDGE_DEFAULT_HOUR: int({ min: 0, max: 23, default: 9 }),
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
