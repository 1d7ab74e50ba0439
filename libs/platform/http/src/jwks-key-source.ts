import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** The subset of a logger the key source writes to. */
export interface KeySourceLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface JwksKeySourceOptions {
  /** The JWKS endpoint (AUTH_JWKS_URL). */
  url: string;
  /** One fetch's deadline (default 3000 ms). */
  timeoutMs?: number;
  /** Background refresh period (default 5 min). */
  refreshIntervalMs?: number;
  /** At most one refetch per this period for tokens with an unknown `kid` (default 30 s). */
  unknownKidCooldownMs?: number;
  /** While no keys were ever fetched, a failed fetch is not repeated sooner than this (default 1 s). */
  retryWithoutKeysMs?: number;
  log?: KeySourceLogger;
  now?: () => number;
}

/** Where the keys stand: whether any were ever fetched, and whether the last fetch failed. */
export interface KeySourceHealth {
  readonly hasKeys: boolean;
  readonly lastFetchFailed: boolean;
}

export interface JwksKeySource {
  /** jose's key lookup over the last good JWKS. */
  readonly getKey: JWTVerifyGetKey;
  /** Fetches now (or joins the fetch under way); never rejects, the outcome is in `health()`. */
  refresh(): Promise<void>;
  health(): KeySourceHealth;
  /** Stops the background refresh. */
  stop(): void;
}

/** No JWKS was ever fetched: nothing can be verified yet (AUTH_KEYS_UNAVAILABLE at the edge). */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}

async function fetchJwks(url: string, timeoutMs: number): Promise<JSONWebKeySet> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`the JWKS endpoint answered ${res.status}`);
  const body = (await res.json()) as { keys?: unknown };
  if (!Array.isArray(body.keys)) throw new Error('the JWKS endpoint answered without a keys array');
  return body as JSONWebKeySet;
}

/**
 * Signing keys from a JWKS endpoint that outlive its outages (unlike jose's remote set, which
 * stops verifying new tokens once its cache ages out): the last good key set stays in use when a
 * fetch fails; it is refreshed in the background, and at most once per cooldown when a token
 * names a `kid` it does not hold (a key rotation). Fetches are single-flight. An outage is logged
 * once when it begins and once when it ends.
 *
 * @example
 * const keys = createJwksKeySource({ url: config.AUTH_JWKS_URL, log });
 * await jwtVerify(token, keys.getKey, { algorithms: ['ES256'] });
 */
export function createJwksKeySource(options: JwksKeySourceOptions): JwksKeySource {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const cooldownMs = options.unknownKidCooldownMs ?? 30_000;
  const retryWithoutKeysMs = options.retryWithoutKeysMs ?? 1_000;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let inflight: Promise<void> | undefined;
  let lastAttemptMs = Number.NEGATIVE_INFINITY;
  let lastError: unknown;
  let down = false;

  const refresh = (): Promise<void> => {
    inflight ??= (async () => {
      lastAttemptMs = now();
      try {
        local = createLocalJWKSet(await fetchJwks(options.url, timeoutMs));
        lastError = undefined;
        if (down) options.log?.info({ jwksUrl: options.url }, 'JWKS endpoint answers again; signing keys refreshed');
        down = false;
      } catch (err) {
        lastError = err;
        if (!down) {
          const msg = local ? 'JWKS endpoint unreachable; verifying with the last good keys' : 'JWKS endpoint unreachable and no keys fetched yet; tokens cannot be verified';
          options.log?.warn({ err, jwksUrl: options.url }, msg);
        }
        down = true;
      }
    })().finally(() => (inflight = undefined));
    return inflight;
  };

  const timer = setInterval(() => void refresh(), options.refreshIntervalMs ?? 300_000);
  timer.unref();

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!local && (inflight || now() - lastAttemptMs >= retryWithoutKeysMs)) await refresh();
    const keys = local;
    if (!keys) throw new KeysUnavailableError('no signing keys could be fetched yet', { cause: lastError });
    try {
      return await keys(header, token);
    } catch (err) {
      const unknownKid = err instanceof errors.JWKSNoMatchingKey;
      if (!unknownKid || (!inflight && now() - lastAttemptMs < cooldownMs)) throw err;
      await refresh();
      return (local ?? keys)(header, token);
    }
  };

  return {
    getKey,
    refresh,
    health: () => ({ hasKeys: local !== undefined, lastFetchFailed: lastError !== undefined }),
    stop: () => clearInterval(timer),
  };
}
