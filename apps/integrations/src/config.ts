import { z } from 'zod';
import { baseServiceSchema, bool, DEFAULT_PORTS, durationMs, httpUrl, int } from '@oo/config';
import { masterKeysField } from './features/vault/master-keys';

const optionalSecret = z.string().min(1).optional();

/** integrations's configuration: the keys every service reads, plus its own. */
export const integrationsConfigSchema = baseServiceSchema('integrations')
  .extend({
    /** Where clients reach oO (the gateway): providers redirect back to `<PUBLIC_URL>/v1/connections/<provider>/callback`. */
    PUBLIC_URL: httpUrl().default(`http://localhost:${DEFAULT_PORTS.gateway}`),
    /** The token vault's master keys, `<id>:<32 bytes base64url>`, comma-separated, current first (see README: rotation). */
    VAULT_MASTER_KEYS: masterKeysField(),
    /** Re-wraps data keys still under an older master key this often (0: never). */
    VAULT_REWRAP_INTERVAL_MS: durationMs(10 * 60_000),

    /** Todoist (API v1). Without a client id and secret Todoist is listed as unavailable. */
    TODOIST_CLIENT_ID: optionalSecret,
    TODOIST_CLIENT_SECRET: optionalSecret,
    TODOIST_AUTHORIZE_URL: httpUrl().default('https://app.todoist.com/oauth/authorize'),
    TODOIST_TOKEN_URL: httpUrl().default('https://api.todoist.com/oauth/access_token'),
    TODOIST_API_URL: httpUrl().default('https://api.todoist.com/api/v1'),
    /** Google Tasks. Without a client id and secret Google Tasks is listed as unavailable. */
    GOOGLE_CLIENT_ID: optionalSecret,
    GOOGLE_CLIENT_SECRET: optionalSecret,
    GOOGLE_AUTHORIZE_URL: httpUrl().default('https://accounts.google.com/o/oauth2/v2/auth'),
    GOOGLE_TOKEN_URL: httpUrl().default('https://oauth2.googleapis.com/token'),
    GOOGLE_REVOKE_URL: httpUrl().default('https://oauth2.googleapis.com/revoke'),
    GOOGLE_TASKS_API_URL: httpUrl().default('https://tasks.googleapis.com'),
    /** Tasks per page asked of Google (at most 100). */
    GOOGLE_TASKS_PAGE_SIZE: int({ min: 1, max: 100, default: 100 }),
    /** Plain http to the providers: local stand-ins only, never production. */
    PROVIDERS_ALLOW_HTTP: bool(false),
    /** Lets calendar feeds live on internal addresses (loopback, private networks): development and tests only. */
    ICS_ALLOW_PRIVATE_NETWORKS: bool(false),
    /** How far ahead calendar events count as busy times. */
    ICS_HORIZON_DAYS: int({ min: 1, max: 90, default: 14 }),
    /** Largest calendar feed read. */
    ICS_MAX_BYTES: int({ min: 1024, max: 50 * 1024 * 1024, default: 5 * 1024 * 1024 }),

    /** A connection syncs this often (spread by SYNC_JITTER either way). */
    SYNC_INTERVAL_MS: durationMs(5 * 60_000),
    SYNC_JITTER: z.coerce.number().min(0).max(0.5).default(0.1),
    /** How often an idle instance looks for due connections. */
    SYNC_TICK_MS: durationMs(1_000),
    SYNC_CONCURRENCY: int({ min: 1, max: 64, default: 4 }),
    /** A sync's lease on its connection; renewed with every page, taken over by another instance once it runs out. */
    SYNC_LEASE_MS: durationMs(60_000),
    SYNC_BACKOFF_BASE_MS: durationMs(30_000),
    SYNC_BACKOFF_MAX_MS: durationMs(6 * 3_600_000),
    SYNC_MAX_PAGES_PER_RUN: int({ min: 1, max: 10_000, default: 50 }),
    /** Each request to a provider gives up after this long. */
    PROVIDER_TIMEOUT_MS: durationMs(15_000),
    /** A connect flow must come back from the provider within this. */
    CONNECT_ATTEMPT_TTL_MS: durationMs(10 * 60_000),

    MAX_FEEDS_PER_USER: int({ min: 1, max: 1000, default: 20 }),
    MAX_MANUAL_TASKS_PER_USER: int({ min: 1, max: 100_000, default: 2_000 }),
  })
  .superRefine((value, ctx) => {
    for (const [flag, on] of [['PROVIDERS_ALLOW_HTTP', value.PROVIDERS_ALLOW_HTTP], ['ICS_ALLOW_PRIVATE_NETWORKS', value.ICS_ALLOW_PRIVATE_NETWORKS]] as const) {
      if (on && value.NODE_ENV === 'production') ctx.addIssue({ code: 'custom', path: [flag], message: 'is for local stand-ins only, not production' });
    }
    for (const provider of ['TODOIST', 'GOOGLE'] as const) {
      if (Boolean(value[`${provider}_CLIENT_ID`]) !== Boolean(value[`${provider}_CLIENT_SECRET`])) {
        ctx.addIssue({ code: 'custom', path: [`${provider}_CLIENT_SECRET`], message: `set both ${provider}_CLIENT_ID and ${provider}_CLIENT_SECRET, or neither` });
      }
    }
  });

export type IntegrationsConfig = z.output<typeof integrationsConfigSchema>;
