import { z } from 'zod';
import { DEFAULT_PORTS, durationMs, httpUrl, int, statelessServiceSchema } from '@oo/config';

const local = (service: keyof typeof DEFAULT_PORTS) => `http://127.0.0.1:${DEFAULT_PORTS[service]}`;

// Origins only (scheme, host, port): what a browser sends in `Origin`.
const originList = z
  .string()
  .default('')
  .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be http(s) origins, comma-separated' }).transform((u) => new URL(u).origin)));

/** The gateway's configuration: the keys of every service without a database, plus its own. */
export const gatewayConfigSchema = statelessServiceSchema('gateway').extend({
  /** Where clients reach the gateway; callbacks, cookie names and the CSRF origin check derive from it. */
  PUBLIC_URL: httpUrl().default(`http://localhost:${DEFAULT_PORTS.gateway}`),
  /** Other origins whose web apps may call with credentials (CORS and the CSRF origin check). */
  WEB_ORIGINS: originList,
  AUTH_URL: httpUrl().default(local('auth')),
  PROFILE_URL: httpUrl().default(local('profile')),
  RECOMMENDER_URL: httpUrl().default(local('recommender')),
  INTEGRATIONS_URL: httpUrl().default(local('integrations')),
  NOTIFIER_URL: httpUrl().default(local('notifier')),
  ML_SERVING_URL: httpUrl().default(local('ml-serving')),
  /** Budget of one upstream call, from sending to the last byte of the answer's head. */
  UPSTREAM_TIMEOUT_MS: durationMs(5_000),
  /** Kept-alive connections per upstream. */
  UPSTREAM_MAX_SOCKETS: int({ min: 1, max: 1024, default: 64 }),
  /** Exchanged session cookies remembered (LRU) so a page's requests do not each ask auth. */
  /** How recent the sign-in behind a token must be to delete the account (`auth_time`); older ones get 401 GATEWAY_REAUTH_REQUIRED. */
  REAUTH_MAX_AGE_MS: durationMs(10 * 60_000),
  SESSION_CACHE_SIZE: int({ min: 0, max: 1_000_000, default: 10_000 }),
  /** Rate limits (in memory, per instance): requests per window per client IP and per signed-in user. */
  // Little's law: at the ~200 decisions/s one instance serves, 256 in flight is about a second of queue.
  MAX_IN_FLIGHT: int({ min: 1, max: 100_000, default: 256 }),
  RATE_LIMIT_WINDOW_MS: durationMs(60_000),
  RATE_LIMIT_PER_IP: int({ min: 1, max: 1_000_000, default: 600 }),
  RATE_LIMIT_PER_USER: int({ min: 1, max: 1_000_000, default: 300 }),
  /** How many proxies in front of the gateway to trust for the client IP (`X-Forwarded-For`); 0: none. */
  TRUST_PROXY_HOPS: int({ min: 0, max: 10, default: 0 }),
  /** The built web app (apps/web's `dist`) served at `/`; unset or without an index.html, `/` is a page of links. */
  WEB_APP_DIR: z.string().default(''),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
