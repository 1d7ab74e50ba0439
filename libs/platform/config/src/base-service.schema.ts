import { z } from 'zod';
import { databaseUrl, durationMs, httpUrl, int, jwksJson, logLevel, natsUrl, nodeEnv, port } from './config-fields';
import { DEFAULT_PORTS, type ServiceName } from './default-ports';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The variables every oO service reads, as a plain shape to spread into a service's own object
 * (or to pick from, e.g. the gateway has no database).
 *
 * @example
 * const { DATABASE_URL: _db, DB_SCHEMA: _schema, ...rest } = baseServiceShape('gateway');
 */
export function baseServiceShape(service: ServiceName) {
  return {
    NODE_ENV: nodeEnv(),
    LOG_LEVEL: logLevel(),
    PORT: port(DEFAULT_PORTS[service]),
    DATABASE_URL: databaseUrl(),
    DB_SCHEMA: z
      .string()
      .regex(SCHEMA_NAME, 'must be a lower-case identifier (a-z, 0-9, _)')
      .default(service.replaceAll('-', '_')),
    /** Connections for HTTP requests. */
    DB_POOL_MAX: int({ min: 1, max: 200, default: 10 }),
    /** Connections for consumers and the outbox relay, apart so they can never starve HTTP. */
    DB_CONSUMER_POOL_MAX: int({ min: 1, max: 200, default: 4 }),
    // Unset only in the embedded start, which hands every service one in-process bus.
    NATS_URL: natsUrl().optional(),
    /** How many events each consumer handles at once. */
    CONSUMER_CONCURRENCY: int({ min: 1, max: 256, default: 16 }),
    // Tests give each file its own prefix so streams never collide; production leaves it empty.
    STREAM_PREFIX: z.string().default(''),
    AUTH_ISSUER: z.string().min(1),
    AUTH_JWKS_URL: httpUrl().optional(),
    AUTH_JWKS: jwksJson().optional(),
    /** Erased-user records (which make late events for a deleted user no-ops) are kept this long. */
    ERASED_USER_RETENTION_DAYS: int({ min: 31, max: 3650, default: 180 }),
    SERVICE_VERSION: z.string().default('0.0.0-dev'),
    SHUTDOWN_GRACE_MS: durationMs(10_000),
  };
}

/**
 * Requires exactly one of `AUTH_JWKS_URL` and `AUTH_JWKS`. It runs even when other keys already
 * failed, so the ConfigError lists this problem together with the rest.
 *
 * @example
 * z.object({ ...shape }).check(exactlyOneJwksSource)
 */
export const exactlyOneJwksSource = z.superRefine<{ AUTH_JWKS_URL?: string | undefined; AUTH_JWKS?: unknown }>(
  (value, ctx) => {
    const hasUrl = value.AUTH_JWKS_URL !== undefined;
    const hasInline = value.AUTH_JWKS !== undefined;
    if (hasUrl === hasInline) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWKS_URL'],
        message: hasUrl
          ? 'set only one of AUTH_JWKS_URL and AUTH_JWKS, not both'
          : 'set AUTH_JWKS_URL (where to fetch the keys) or AUTH_JWKS (the keys as JSON)',
      });
    }
  },
  { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
);

/**
 * The base configuration of a service: its shape plus the JWKS rule. Extend it with the
 * service's own keys (extending keeps the rule; `omit`/`pick` drop it, so re-add
 * `exactlyOneJwksSource` with `.check()` after those).
 *
 * @example
 * const schema = baseServiceSchema('profile').extend({ FEATURE_TTL_MS: durationMs(60_000) });
 * const config = loadConfig(schema);
 */
export function baseServiceSchema(service: ServiceName) {
  return z.object(baseServiceShape(service)).check(exactlyOneJwksSource);
}

/** What `loadConfig(baseServiceSchema(...))` returns. */
export type BaseServiceConfig = z.output<ReturnType<typeof baseServiceSchema>>;
