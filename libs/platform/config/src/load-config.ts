import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error';
import { deepFreeze } from './deep-freeze';

/** The shape of `process.env`; tests pass a plain object instead. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment once against `schema` and returns the parsed result, deeply frozen.
 * Empty values count as unset, so `PORT=` falls back to the default instead of failing.
 * Throws `ConfigError` (code `CONFIG_INVALID`) naming every bad or missing key.
 *
 * @example
 * const config = loadConfig(baseServiceSchema('profile').extend({ FEATURE_TTL_MS: durationMs(60_000) }));
 * config.PORT; // 8082 unless PORT is set
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): Readonly<z.output<S>> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') present[key] = value;
  }
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(toProblems(result.error, present), { cause: result.error });
  }
  return deepFreeze(result.data);
}

function toProblems(error: z.ZodError, env: Record<string, string>): ConfigProblem[] {
  return error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && issue.path.length === 1 && env[key] === undefined;
    return { key, reason: missing ? 'is required but not set' : issue.message };
  });
}
