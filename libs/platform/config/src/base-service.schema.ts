import { z } from 'zod';
import { databaseUrl, durationMs, httpUrl, int, jwksJson, logLevel, natsUrl, nodeEnv, port } from './config-fields';
import { DEFAULT_PORTS, type ServiceName } from './default-ports';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The variables every oO service reads, with or without a database: a plain shape to spread into
 * a service's own object. `statelessServiceSchema` is this shape with the JWKS rule.
 *
 * @example
 * const schema = z.object({ ...statelessServiceShape('gateway'), EXTRA: z.string() }).check(exactlyOneJwksSource);
 */
export function statelessServiceShape(service: ServiceName) {
  return {
    NODE_ENV: nodeEnv(),
    LOG_LEVEL: logLevel(),
    PORT: port(DEFAULT_PORTS[service]),
    // Unset only in the embedded start, which hands every service one in-process bus.
    NATS_URL: natsUrl().optional(),
    // Tests give each file its own prefix so streams never collide; production leaves it empty.
    STREAM_PREFIX: z.string().default(''),
    AUTH_ISSUER: z.string().min(1),
    AUTH_JWKS_URL: httpUrl().optional(),
    AUTH_JWKS: jwksJson().optional(),
    /** The token endpoint of auth, for this service's own tokens (OAuth client credentials); only services that call others need it. */
    AUTH_TOKEN_URL: httpUrl().optional(),
    /** This service's OAuth client id at auth; default the service's name. */
    SERVICE_CLIENT_ID: z.string().min(1).default(service),
    /** A file holding the client secret (a mounted secret), re-read at each renewal; or SERVICE_CLIENT_SECRET. */
    SERVICE_CLIENT_SECRET_FILE: z.string().min(1).optional(),
    SERVICE_CLIENT_SECRET: z.string().min(1).optional(),
    SERVICE_VERSION: z.string().default('0.0.0-dev'),
    SHUTDOWN_GRACE_MS: durationMs(10_000),
    /**
     * After SIGTERM, how long the service goes on serving while not ready, before it closes its
     * listener: the time its callers (a load balancer, Kubernetes endpoints, a gateway finishing
     * its own requests) need to stop sending. 0 closes at once.
     */
    SHUTDOWN_DRAIN_MS: durationMs(0),
  };
}

/**
 * The variables every oO service with a database reads: the stateless shape plus the database,
 * consumer and erasure keys. A plain shape to spread into a service's own object.
 *
 * @example
 * const schema = z.object({ ...baseServiceShape('profile'), EXTRA: z.string() }).check(exactlyOneJwksSource);
 */
export function baseServiceShape(service: ServiceName) {
  return {
    ...statelessServiceShape(service),
    DATABASE_URL: databaseUrl(),
    DB_SCHEMA: z
      .string()
      .regex(SCHEMA_NAME, 'must be a lower-case identifier (a-z, 0-9, _)')
      .default(service.replaceAll('-', '_')),
    /** Connections for HTTP requests. */
    DB_POOL_MAX: int({ min: 1, max: 200, default: 10 }),
    /**
     * Repeated statements kept prepared per database connection (parsed and planned once, not per
     * execution); 0 turns it off, e.g. behind a transaction-pooling proxy without prepared-statement support.
     */
    DB_PREPARED_STATEMENTS: int({ min: 0, max: 10_000, default: 256 }),
    /** Connections for consumers and the outbox relay, apart so they can never starve HTTP. */
    DB_CONSUMER_POOL_MAX: int({ min: 1, max: 200, default: 4 }),
    /** How many events each consumer handles at once. */
    CONSUMER_CONCURRENCY: int({ min: 1, max: 256, default: 16 }),
    /**
     * How long a consumer's first waiting event holds its transaction open to others (ms): under
     * load, one commit per batch instead of one per event, for at most this much added latency.
     */
    CONSUMER_BATCH_LINGER_MS: int({ min: 0, max: 1_000, default: 10 }),
    /** Erased-user records (which make late events for a deleted user no-ops) are kept this long. */
    ERASED_USER_RETENTION_DAYS: int({ min: 31, max: 3650, default: 180 }),
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

/**
 * The base configuration of a service without a database (the gateway): no DATABASE_URL, pools,
 * consumers or erasure keys. Extend it like `baseServiceSchema`.
 *
 * @example
 * const schema = statelessServiceSchema('gateway').extend({ SESSION_TTL_MS: durationMs(3_600_000) });
 */
export function statelessServiceSchema(service: ServiceName) {
  return z.object(statelessServiceShape(service)).check(exactlyOneJwksSource);
}

/** What `loadConfig(statelessServiceSchema(...))` returns. */
export type StatelessServiceConfig = z.output<ReturnType<typeof statelessServiceSchema>>;

/** What `loadConfig(baseServiceSchema(...))` returns. */
export type BaseServiceConfig = z.output<ReturnType<typeof baseServiceSchema>>;
