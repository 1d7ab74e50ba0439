import { z } from 'zod';
import { baseServiceShape, durationMs, exactlyOneJwksSource, int, loadConfig, type Env } from '@oo/config';
import { policyCatalogJson } from './features/scoring/policy-catalog';

const HOUR_MS = 3_600_000;

// A plain decimal from the environment (rewards, priors): `1`, `0.25`, `-0.5`.
function decimal(defaultValue: number, options: { min?: number; max?: number } = {}): z.ZodType<number> {
  const min = options.min ?? Number.NEGATIVE_INFINITY;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const reason = Number.isFinite(max) ? `must be a number between ${min} and ${max}` : Number.isFinite(min) ? `must be a number ≥ ${min}` : 'must be a number';
  return z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, reason)
    .transform(Number)
    .pipe(z.number().min(min, reason).max(max, reason))
    .default(defaultValue);
}

// Built from the base shape rather than `baseServiceSchema(...).extend`: zod will not override a
// key (DB_SCHEMA) of a schema with refinements, so the JWKS rule is added back below.
const mlServingShape = {
  ...baseServiceShape('ml-serving'),
  // The architecture names the schema `ml`, not the project's `ml_serving`.
  DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case identifier (a-z, 0-9, _)')
    .default('ml'),
  /** The policy catalog as JSON `{ "<name>": { "kind": …, … } }`; replaces the default catalog. */
  POLICIES: policyCatalogJson().optional(),
  REWARD_DONE: decimal(1),
  REWARD_SNOOZE: decimal(0.25),
  REWARD_DISMISS: decimal(0),
  /** Reward of a decision without a reaction inside the window. */
  REWARD_NONE: decimal(0),
  REWARD_WINDOW_MS: durationMs(24 * HOUR_MS),
  /** How often unanswered decisions past the window are settled. */
  REWARD_SWEEP_INTERVAL_MS: durationMs(60_000),
  /** Fallback poll for new observations; LISTEN/NOTIFY normally wakes the model first. */
  MODEL_POLL_INTERVAL_MS: durationMs(2_000),
  /** A checkpoint is written once this many observations were learned since the last one. */
  CHECKPOINT_EVERY: int({ min: 1, max: 1_000_000, default: 1_000 }),
  /** Snapshots kept; observations older than the oldest kept snapshot are pruned. */
  SNAPSHOT_RETENTION: int({ min: 1, max: 100, default: 3 }),
  /** Settled decisions, and feedback whose decision never arrived, are kept this long. */
  DECISION_RETENTION_MS: durationMs(7 * 24 * HOUR_MS),
  /** Users whose personal model part stays in memory; the least recently used beyond it are dropped and reloaded from Postgres when needed. */
  MODEL_MAX_USERS_IN_MEMORY: int({ min: 1, max: 10_000_000, default: 10_000 }),
  /** Prior precisions of a fresh model (a loaded snapshot keeps its own). */
  MODEL_LAMBDA: decimal(1, { min: 1e-9 }),
  MODEL_USER_LAMBDA: decimal(8, { min: 1e-9 }),
  /** A shadow is promoted only on at least this many settled decisions of its own and of the live policy. */
  PROMOTION_MIN_DECISIONS: int({ min: 1, max: 10_000_000, default: 500 }),
  /** Bootstrap resamples of the promotion's intervals. */
  PROMOTION_RESAMPLES: int({ min: 100, max: 100_000, default: 1_000 }),
  /** `on`: evaluate every PROMOTION_AUTO_INTERVAL_MS and promote by itself (guarded below); `off`: only when asked. */
  PROMOTION_AUTO: z.enum(['on', 'off']).default('off'),
  PROMOTION_AUTO_INTERVAL_MS: durationMs(HOUR_MS),
  /** No more than one switch per window; the evidence also starts no earlier than the window. */
  PROMOTION_WINDOW_MS: durationMs(7 * 24 * HOUR_MS),
  /** No automatic promotion while more than this share of the window's decisions fell back. */
  PROMOTION_MAX_FALLBACK_SHARE: decimal(0.05, { min: 0, max: 1 }),
};

/** The ml-serving configuration: the base keys plus scoring, reward and model-state keys. */
export const mlServingConfigSchema = z.object(mlServingShape).check(exactlyOneJwksSource);

export type MlServingConfig = ReturnType<typeof loadMlServingConfig>;

/** Reads and validates the environment once; throws a ConfigError listing every problem. */
export function loadMlServingConfig(env: Env = process.env) {
  return loadConfig(mlServingConfigSchema, env);
}
