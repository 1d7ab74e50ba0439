import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';

// Every helper takes the raw string from the environment and yields a typed value, with a reason
// that reads well after the key in a ConfigError ("PORT: must be an integer from 0 to 65535").

/** The levels pino understands, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

function withDefault<T>(schema: z.ZodType<T>, fallback: z.core.util.NoUndefined<T> | undefined): z.ZodType<T> {
  return fallback === undefined ? schema : schema.default(fallback);
}

function intIn(min: number, max: number, reason: string): z.ZodType<number> {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, reason)
    .transform(Number)
    .pipe(z.number().int().min(min, reason).max(max, reason));
}

/**
 * A TCP port; `0` is allowed (the OS picks one, handy in tests).
 *
 * @example
 * z.object({ PORT: port(DEFAULT_PORTS.profile) })
 */
export function port(defaultPort?: number): z.ZodType<number> {
  return withDefault(intIn(0, 65_535, 'must be an integer from 0 to 65535'), defaultPort);
}

/**
 * An integer within optional bounds.
 *
 * @example
 * z.object({ POOL_MAX: int({ min: 1, max: 100, default: 10 }) })
 */
export function int(options: { min?: number; max?: number; default?: number } = {}): z.ZodType<number> {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const reason =
    options.min === undefined && options.max === undefined ? 'must be an integer' : `must be an integer from ${min} to ${max}`;
  return withDefault(intIn(min, max, reason), options.default);
}

/**
 * Exactly `true` or `false`; anything else is rejected rather than guessed.
 *
 * @example
 * z.object({ PUSH_ENABLED: bool(false) })
 */
export function bool(defaultValue?: boolean): z.ZodType<boolean> {
  const schema = z.enum(['true', 'false'], "must be 'true' or 'false'").transform((v) => v === 'true');
  return withDefault(schema, defaultValue);
}

const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration in milliseconds, written as `1500`, `1500ms`, `30s`, `5m` or `1h`.
 *
 * @example
 * z.object({ SHUTDOWN_GRACE_MS: durationMs(10_000) }) // SHUTDOWN_GRACE_MS=15s → 15000
 */
export function durationMs(defaultMs?: number): z.ZodType<number> {
  const schema = z
    .string()
    .trim()
    .regex(DURATION, 'must be a duration such as 1500, 1500ms, 30s, 5m, 1h or 30d')
    .transform((raw) => {
      const [, amount = '0', unit = 'ms'] = DURATION.exec(raw) ?? [];
      return Number(amount) * (UNIT_MS[unit] ?? 1);
    });
  return withDefault(schema, defaultMs);
}

/**
 * A `postgres://` or `postgresql://` connection URL.
 *
 * @example
 * z.object({ DATABASE_URL: databaseUrl() })
 */
export function databaseUrl(): z.ZodType<string> {
  return z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' });
}

const NATS_SCHEMES = /^(nats|tls|ws|wss):\/\/\S+$/;

/**
 * One NATS server URL or a comma-separated list of them, returned as a list for the client's
 * `servers` option.
 *
 * @example
 * z.object({ NATS_URL: natsUrl() }) // "nats://a:4222,nats://b:4222" → ['nats://a:4222', 'nats://b:4222']
 */
export function natsUrl(): z.ZodType<string[]> {
  return z
    .string()
    .transform((raw) => raw.split(',').map((s) => s.trim()))
    .pipe(z.array(z.string().regex(NATS_SCHEMES, 'must be nats:// URLs, comma-separated')).min(1));
}

/**
 * An http(s) URL, e.g. where to fetch a JWKS.
 *
 * @example
 * z.object({ AUTH_JWKS_URL: httpUrl().optional() })
 */
export function httpUrl(): z.ZodType<string> {
  return z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
}

/**
 * A pino log level, `info` unless told otherwise.
 *
 * @example
 * z.object({ LOG_LEVEL: logLevel() })
 */
export function logLevel(defaultLevel: LogLevel = 'info'): z.ZodType<LogLevel> {
  return z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).default(defaultLevel);
}

/**
 * `development`, `test` or `production`; `development` when unset.
 *
 * @example
 * z.object({ NODE_ENV: nodeEnv() })
 */
export function nodeEnv(): z.ZodType<NodeEnv> {
  return z.enum(NODE_ENVS, `must be one of ${NODE_ENVS.join(', ')}`).default('development');
}

function isJsonWebKeySet(value: unknown): value is JSONWebKeySet {
  if (typeof value !== 'object' || value === null || !('keys' in value)) return false;
  const { keys } = value;
  return (
    Array.isArray(keys) &&
    keys.length > 0 &&
    keys.every((k: unknown) => typeof k === 'object' && k !== null && 'kty' in k && typeof k.kty === 'string')
  );
}

/**
 * A JSON Web Key Set given inline as JSON (`{"keys":[...]}`), for tests and single-host setups.
 *
 * @example
 * z.object({ AUTH_JWKS: jwksJson().optional() })
 */
export function jwksJson(): z.ZodType<JSONWebKeySet> {
  return jsonText(z.custom<JSONWebKeySet>(isJsonWebKeySet, 'must be a JSON Web Key Set: {"keys":[{"kty":...}]}'), 'must be valid JSON');
}

/**
 * A variable holding JSON, parsed and then checked with `schema`; text that is not JSON at all
 * is reported with `notJson`.
 *
 * @example
 * z.object({ POLICIES: jsonText(catalogSchema, 'must be a JSON object of named policies').optional() })
 */
export function jsonText<T>(schema: z.ZodType<T>, notJson: string): z.ZodType<T> {
  return z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: notJson });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
