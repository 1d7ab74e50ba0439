import { z } from 'zod';
import { baseServiceSchema, bool, durationMs, httpUrl, int } from '@oo/config';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const commaList = (defaultValue = '') =>
  z
    .string()
    .default(defaultValue)
    .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean));

// 32 random bytes, base64url: the key that encrypts the signing keys' private parts at rest.
const encryptionKey = z
  .string()
  .refine((value) => Buffer.from(value, 'base64url').length === 32, 'must be 32 bytes, base64url-encoded (e.g. `openssl rand -base64 32 | tr "+/" "-_" | tr -d =`)');

/** auth's configuration: the keys every service reads, plus its own. */
export const authConfigSchema = baseServiceSchema('auth')
  .extend({
    /** Where clients reach oO (the gateway): sign-in callbacks come back to `<AUTH_PUBLIC_URL>/v1/auth/callback`. */
    AUTH_PUBLIC_URL: httpUrl().default('http://localhost:8080'),
    /** The identity provider: Google's is `https://accounts.google.com` (found by OpenID discovery). */
    OIDC_ISSUER_URL: httpUrl(),
    OIDC_CLIENT_ID: z.string().min(1),
    OIDC_CLIENT_SECRET: z.string().min(1),
    /** Lets the provider be reached over plain http: the local identity provider only, never in production. */
    OIDC_ALLOW_HTTP: bool(false),
    AUTH_KEY_ENCRYPTION_KEY: encryptionKey,
    /** A person's access token lives this long (at most 10 minutes). */
    /** Days every service has to erase a deleted user before the deletion counts as overdue (a metric, an alert). */
    DELETION_DEADLINE_DAYS: int({ min: 1, max: 90, default: 30 }),
    /** A finished data export's archive can be downloaded this long, then it is pruned. */
    EXPORT_TTL_MS: durationMs(7 * DAY),
    /** Every service's part of an export must be in within this, or the export fails (the user may ask again). */
    EXPORT_COLLECT_TIMEOUT_MS: durationMs(HOUR),
    /** The largest archive an export may build (bytes): a bigger one fails rather than fill the database. */
    EXPORT_MAX_ARCHIVE_BYTES: int({ min: 1024, max: 512 * 1024 * 1024, default: 64 * 1024 * 1024 }),
    /** How many exports one user may start in 24 hours. */
    EXPORTS_PER_DAY: int({ min: 1, max: 100, default: 3 }),
    ACCESS_TOKEN_TTL_MS: durationMs(10 * MINUTE).pipe(z.number().max(10 * MINUTE, 'at most 10 minutes')),
    /** A service's token (client credentials) lives this long. */
    SERVICE_TOKEN_TTL_MS: durationMs(10 * MINUTE).pipe(z.number().max(60 * MINUTE, 'at most an hour')),
    /** A new signing key takes over this often. */
    SIGNING_KEY_ROTATION_MS: durationMs(30 * DAY),
    /** A new key is in the JWKS this long before it signs, so every cache has it first. */
    SIGNING_KEY_PUBLISH_AHEAD_MS: durationMs(HOUR),
    /** A login attempt (from sign-in to callback) must finish within this. */
    LOGIN_ATTEMPT_TTL_MS: durationMs(10 * MINUTE),
    /** A web session ends after this long without use … */
    SESSION_IDLE_TIMEOUT_MS: durationMs(7 * DAY),
    /** … and this long after sign-in in any case. */
    SESSION_ABSOLUTE_TIMEOUT_MS: durationMs(30 * DAY),
    /** A native app's refresh token must be used within this … */
    REFRESH_TOKEN_TTL_MS: durationMs(30 * DAY),
    /** … and its family (every rotation since sign-in) ends this long after sign-in. */
    REFRESH_FAMILY_MAX_AGE_MS: durationMs(90 * DAY),
    /** Public clients (native apps) allowed to sign in with a loopback redirect (RFC 8252). */
    NATIVE_CLIENT_IDS: commaList('oo-native'),
    /**
     * The services that may get tokens by client credentials: a JSON file
     * `{ "clients": [{ "clientId": "gateway", "secretSha256": "<hex>" }] }` (a Kubernetes Secret in
     * production, written by the launcher in development), synced into `service_clients` at start.
     * Unset: the table is left as it is.
     */
    SERVICE_CLIENTS_FILE: z.string().min(1).optional(),
    /** Identity-provider subjects (`sub`) who are admins, comma-separated. */
    ADMIN_SUBJECTS: commaList(),
  })
  .superRefine((value, ctx) => {
    if (value.OIDC_ALLOW_HTTP && value.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ALLOW_HTTP'], message: 'plain http to the identity provider is for the local one only, not production' });
    }
  });

export type AuthConfig = z.output<typeof authConfigSchema>;
