import { readFile } from 'node:fs/promises';
import { ConfigError } from '@oo/config';
import { AuthError, type JwtVerifier } from '@oo/http';
import type { Logger } from '@oo/logger';
import { inspectServiceToken } from './service-token';
import { RecommenderError } from '../../errors';

/** Where the token comes from: exactly one of the two (the config schema enforces it). */
export interface ServiceTokenConfig {
  readonly SERVICE_TOKEN?: string | undefined;
  readonly SERVICE_TOKEN_FILE?: string | undefined;
}

/** Sets a timer; returns its cancel. `run` resolves once the renewal attempt is over (tests await it). */
export type SetTimer = (run: () => Promise<void>, delayMs: number) => () => void;

export interface ServiceTokenSourceOptions {
  /** The service the token must be issued to. Default `recommender`. */
  service?: string;
  /** Checks the signature against the service's own JWKS; without it only the claims are checked. */
  verifier?: JwtVerifier;
  now?: () => Date;
  readFile?: (path: string) => Promise<string>;
  setTimer?: SetTimer;
}

/** The bearer token this service presents upstream, kept valid for as long as the platform renews it. */
export interface ServiceTokenSource {
  /** Reads and checks the token and schedules its renewal; rejects with a `ConfigError` when it is unusable. */
  start(): Promise<void>;
  /** The token to send now. */
  current(): string;
  /** When the token in use expires. */
  expiresAt(): Date;
  /** Cancels the renewal timer (shutdown). */
  stop(): void;
}

interface HeldToken {
  readonly token: string;
  readonly expMs: number;
  readonly lifetimeMs: number;
  readonly renewAtMs: number;
  warned: boolean;
  expiredLogged: boolean;
}

// Kubernetes rotates a projected token once 80% of its lifetime has passed, so reading at 80% may
// just miss the new one: keep trying, and call it an error once only 10% is left.
const RENEW_AT = 0.8;
const ALARM_AT = 0.9;
const MIN_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;
// setTimeout fires at once for delays beyond 2^31-1 ms; long waits are taken in hops of a day.
const MAX_TIMER_MS = 86_400_000;

const defaultTimer: SetTimer = (run, delayMs) => {
  const timer = setTimeout(() => void run(), delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * The recommender's service token from `SERVICE_TOKEN` or `SERVICE_TOKEN_FILE`. `start()` checks
 * that it is a service token for this service, unexpired and (with a verifier) signed by our
 * issuer; then, at 80% of its lifetime, the file is read again and a new token replaces the old.
 * While no new token arrives it retries, logs an error when the token is about to expire, and
 * another when it has. A token from the environment cannot be renewed: the error comes at 80%.
 *
 * @example
 * const tokens = createServiceTokenSource(config, log, { verifier });
 * await tokens.start(); // ConfigError: SERVICE_TOKEN_FILE: has expired at …
 * const profile = createProfileClient({ baseUrl, serviceToken: tokens, … });
 */
export function createServiceTokenSource(config: ServiceTokenConfig, log: Logger, options: ServiceTokenSourceOptions = {}): ServiceTokenSource {
  const service = options.service ?? 'recommender';
  const nowMs = (): number => (options.now ? options.now() : new Date()).getTime();
  const setTimer = options.setTimer ?? defaultTimer;
  const read = options.readFile ?? ((path: string) => readFile(path, 'utf8'));
  const path = config.SERVICE_TOKEN_FILE;
  const key = path !== undefined ? 'SERVICE_TOKEN_FILE' : 'SERVICE_TOKEN';
  const problem = (reason: string, cause?: unknown) => new ConfigError([{ key, reason }], { cause });
  let held: HeldToken | undefined;
  let cancel: (() => void) | undefined;
  let stopped = false;

  const load = async (): Promise<string> => {
    if (path === undefined) {
      if (!config.SERVICE_TOKEN) throw problem('is required but not set');
      return config.SERVICE_TOKEN;
    }
    try {
      return (await read(path)).trim();
    } catch (err) {
      throw problem(`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
    }
  };

  const check = async (token: string): Promise<HeldToken> => {
    const inspected = inspectServiceToken(token, service);
    if (!inspected.ok) throw problem(inspected.reason);
    const now = nowMs();
    const expMs = inspected.claims.exp * 1000;
    if (expMs <= now) throw problem(`has expired (at ${new Date(expMs).toISOString()})`);
    if (options.verifier) {
      try {
        await options.verifier.verify(token);
      } catch (err) {
        if (!(err instanceof AuthError && err.code === 'AUTH_KEYS_UNAVAILABLE')) {
          throw problem(`is not accepted by this service's own token check: ${err instanceof Error ? err.message : String(err)}`, err);
        }
        log.warn({ err }, 'signing keys unavailable: the service token is checked on its claims only');
      }
    }
    const issuedMs = inspected.claims.iat !== undefined ? Math.min(inspected.claims.iat * 1000, now) : now;
    const lifetimeMs = expMs - issuedMs;
    return { token, expMs, lifetimeMs, renewAtMs: issuedMs + lifetimeMs * RENEW_AT, warned: false, expiredLogged: false };
  };

  const plan = (atMs: number): void => {
    cancel?.();
    const delay = Math.max(0, atMs - nowMs());
    cancel = delay > MAX_TIMER_MS ? setTimer(async () => plan(atMs), MAX_TIMER_MS) : setTimer(renew, delay);
  };

  // Resolves to why no new token was taken (undefined once one was); until then the current one stays in use.
  const tryNewToken = async (current: HeldToken): Promise<string | undefined> => {
    if (path === undefined) return 'SERVICE_TOKEN cannot be renewed while the service runs (use SERVICE_TOKEN_FILE)';
    try {
      const token = await load();
      if (token === current.token) return 'the file still holds the same token';
      const next = await check(token);
      if (stopped) return undefined;
      held = next;
      log.info({ source: key, expiresAt: new Date(next.expMs).toISOString() }, 'service token renewed');
      plan(next.renewAtMs);
      return undefined;
    } catch (err) {
      if (err instanceof ConfigError) return err.problems[0]?.reason ?? err.message;
      throw err;
    }
  };

  const renew = async (): Promise<void> => {
    const current = held;
    if (stopped || !current) return;
    let reason: string | undefined;
    try {
      reason = await tryNewToken(current);
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    if (reason === undefined || stopped) return;
    const leftMs = current.expMs - nowMs();
    const fields = { source: key, expiresAt: new Date(current.expMs).toISOString(), reason };
    if (leftMs <= 0) {
      if (!current.expiredLogged) log.error(fields, 'the service token has expired and was not renewed: profile and ml-serving will refuse our calls');
      current.expiredLogged = true;
    } else if (path === undefined || leftMs <= current.lifetimeMs * (1 - ALARM_AT)) {
      if (!current.warned) log.error({ ...fields, expiresInSec: Math.round(leftMs / 1000) }, 'the service token expires soon and no renewed token is available');
      current.warned = true;
    } else {
      log.warn(fields, 'the service token was not renewed yet; trying again');
    }
    if (path !== undefined) plan(nowMs() + Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, current.lifetimeMs / 20)));
    else if (leftMs > 0) plan(current.expMs);
  };

  return {
    async start() {
      if (path !== undefined && config.SERVICE_TOKEN !== undefined) throw problem('set only one of SERVICE_TOKEN and SERVICE_TOKEN_FILE, not both');
      held = await check(await load());
      stopped = false;
      log.info({ source: key, expiresAt: new Date(held.expMs).toISOString() }, 'service token accepted');
      plan(held.renewAtMs);
    },
    current() {
      if (!held) throw new RecommenderError('RECOMMENDER_TOKEN_SOURCE_NOT_STARTED', 'the service token source was not started');
      return held.token;
    },
    expiresAt() {
      if (!held) throw new RecommenderError('RECOMMENDER_TOKEN_SOURCE_NOT_STARTED', 'the service token source was not started');
      return new Date(held.expMs);
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = undefined;
    },
  };
}
