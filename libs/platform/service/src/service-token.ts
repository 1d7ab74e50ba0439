import { readFile } from 'node:fs/promises';
import type { Logger } from '@oo/logger';
import { defineServiceErrors } from './service-error';

/** Hands out this service's bearer token for calls to other services; cheap when cached. */
export type ServiceTokenSource = () => Promise<string>;

/**
 * Why no service token could be had: not configured (a deployment bug), refused by auth (wrong
 * client id or secret), or auth could not be reached after retries (503: try again later).
 */
export const ServiceTokenError = defineServiceErrors('ServiceTokenError', {
  SERVICE_TOKEN_NOT_CONFIGURED: 500,
  SERVICE_TOKEN_REJECTED: 500,
  SERVICE_TOKEN_UNAVAILABLE: 503,
});

export interface ClientCredentialsOptions {
  /** auth's token endpoint (AUTH_TOKEN_URL). */
  tokenUrl: string;
  clientId: string;
  /** Read before every request, so a rotated secret file is picked up. */
  secret: () => Promise<string>;
  log?: Logger;
  now?: () => number;
  /** One request's deadline (default 5000 ms). */
  timeoutMs?: number;
  /** Pauses between attempts of one renewal (default 200, 800, 2000 ms: four attempts). */
  retryDelaysMs?: readonly number[];
  /** After a renewal failed, callers get its error at once for this long instead of a new round (default 5000 ms). */
  failureCooldownMs?: number;
}

interface Held {
  token: string;
  renewAtMs: number;
  expiresAtMs: number;
}

// Renew at 80% of the lifetime; until expiry the old token keeps serving while renewal runs.
const RENEW_AT = 0.8;
// A token this close to its expiry could lapse in flight.
const EXPIRY_MARGIN_MS = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

async function requestToken(o: ClientCredentialsOptions, nowMs: number): Promise<Held> {
  const secret = await o.secret();
  const basic = Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  let res: Response;
  try {
    res = await fetch(o.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      signal: AbortSignal.timeout(o.timeoutMs ?? 5_000),
    });
  } catch (cause) {
    throw new ServiceTokenError('SERVICE_TOKEN_UNAVAILABLE', `auth's token endpoint could not be reached`, { cause });
  }
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    const error = typeof body.error === 'string' ? body.error : String(res.status);
    throw new ServiceTokenError('SERVICE_TOKEN_REJECTED', `auth refused the client credentials of ${o.clientId} (${error}): check SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET(_FILE)`);
  }
  if (!res.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number' || body.expires_in <= 0) {
    throw new ServiceTokenError('SERVICE_TOKEN_UNAVAILABLE', `auth's token endpoint answered ${res.status} without a usable token`);
  }
  const lifeMs = body.expires_in * 1000;
  return { token: body.access_token, renewAtMs: nowMs + lifeMs * RENEW_AT, expiresAtMs: nowMs + lifeMs - Math.min(EXPIRY_MARGIN_MS, lifeMs / 10) };
}

/**
 * This service's token by OAuth 2.0 client credentials (RFC 6749 §4.4): `POST tokenUrl` with
 * `grant_type=client_credentials` and HTTP Basic client authentication. Nothing is fetched until
 * the first call; the token is cached and renewed at 80% of its life (the old one serves while the
 * renewal runs), one request at a time, retried with back-off. Rejects with `ServiceTokenError`.
 *
 * @example
 * const token = createClientCredentialsSource({ tokenUrl, clientId: 'recommender', secret: async () => 's3cret' });
 * headers.authorization = `Bearer ${await token()}`;
 */
export function createClientCredentialsSource(o: ClientCredentialsOptions): ServiceTokenSource {
  const now = o.now ?? Date.now;
  const delays = o.retryDelaysMs ?? [200, 800, 2_000];
  const cooldownMs = o.failureCooldownMs ?? 5_000;
  let held: Held | undefined;
  let inflight: Promise<string> | undefined;
  let failed: { error: unknown; untilMs: number } | undefined;

  const renew = async (): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      try {
        held = await requestToken(o, now());
        if (failed) o.log?.info({ clientId: o.clientId }, 'service token obtained again');
        failed = undefined;
        return held.token;
      } catch (err) {
        const retry = err instanceof ServiceTokenError && err.code === 'SERVICE_TOKEN_UNAVAILABLE' && attempt < delays.length;
        if (!retry) {
          if (!failed) o.log?.error({ err, clientId: o.clientId, tokenUrl: o.tokenUrl }, 'no service token: calls to other services fail until auth issues one');
          failed = { error: err, untilMs: now() + cooldownMs };
          throw err;
        }
        await sleep(delays[attempt] ?? 0);
      }
    }
  };

  return async () => {
    const at = now();
    if (held && at < held.renewAtMs) return held.token;
    const usable = held && at < held.expiresAtMs ? held.token : undefined;
    if (failed && at < failed.untilMs) {
      if (usable) return usable;
      throw failed.error;
    }
    inflight ??= renew().finally(() => (inflight = undefined));
    if (usable) {
      inflight.catch(() => undefined);
      return usable;
    }
    return inflight;
  };
}

/** The kit's keys for service tokens (`statelessServiceShape`). */
export interface ServiceTokenConfig {
  readonly AUTH_TOKEN_URL?: string | undefined;
  readonly SERVICE_CLIENT_ID?: string | undefined;
  readonly SERVICE_CLIENT_SECRET_FILE?: string | undefined;
  readonly SERVICE_CLIENT_SECRET?: string | undefined;
}

/**
 * The kit's default source: client credentials from AUTH_TOKEN_URL, SERVICE_CLIENT_ID (default the
 * service's name) and SERVICE_CLIENT_SECRET_FILE (re-read at each renewal) or SERVICE_CLIENT_SECRET.
 * Without them every call rejects with SERVICE_TOKEN_NOT_CONFIGURED naming what is missing, so a
 * service that never calls another needs none of these keys.
 *
 * @example
 * const serviceToken = serviceTokenSourceFromConfig(config, 'recommender', log);
 */
export function serviceTokenSourceFromConfig(config: ServiceTokenConfig, service: string, log?: Logger): ServiceTokenSource {
  const missing = [
    ...(config.AUTH_TOKEN_URL ? [] : ['AUTH_TOKEN_URL']),
    ...(config.SERVICE_CLIENT_SECRET_FILE || config.SERVICE_CLIENT_SECRET ? [] : ['SERVICE_CLIENT_SECRET_FILE or SERVICE_CLIENT_SECRET']),
  ];
  if (missing.length > 0 || !config.AUTH_TOKEN_URL) {
    const error = new ServiceTokenError('SERVICE_TOKEN_NOT_CONFIGURED', `${service} has no service token: set ${missing.join(' and ')}`);
    return () => Promise.reject(error);
  }
  const file = config.SERVICE_CLIENT_SECRET_FILE;
  const inline = config.SERVICE_CLIENT_SECRET ?? '';
  const secret = file
    ? async () => {
        try {
          return (await readFile(file, 'utf8')).trim();
        } catch (cause) {
          throw new ServiceTokenError('SERVICE_TOKEN_NOT_CONFIGURED', `SERVICE_CLIENT_SECRET_FILE cannot be read`, { cause });
        }
      }
    : async () => inline;
  return createClientCredentialsSource({ tokenUrl: config.AUTH_TOKEN_URL, clientId: config.SERVICE_CLIENT_ID ?? service, secret, ...(log ? { log } : {}) });
}
