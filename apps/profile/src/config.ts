import { baseServiceSchema, int, loadConfig, type Env } from '@oo/config';

/** The profile service's configuration: the base keys plus its own. */
export const profileConfigSchema = baseServiceSchema('profile').extend({
  /** Tip events older than this are pruned from the projections; features look back 30 days. */
  PROJECTION_RETENTION_DAYS: int({ min: 31, max: 3650, default: 35 }),
});

export type ProfileConfig = ReturnType<typeof loadProfileConfig>;

/** Reads and validates the environment once; throws a ConfigError listing every problem. */
export function loadProfileConfig(env: Env = process.env) {
  return loadConfig(profileConfigSchema, env);
}
