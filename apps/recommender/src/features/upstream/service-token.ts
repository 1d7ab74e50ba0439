import { decodeJwt, type JWTPayload } from 'jose';

/** What a service token says about itself, read without checking its signature. */
export interface ServiceTokenClaims {
  /** The service it was issued to. */
  readonly sub: string;
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
  /** Issue time, in seconds since the epoch, when the token carries a usable one. */
  readonly iat?: number;
}

export type ServiceTokenInspection = { ok: true; claims: ServiceTokenClaims } | { ok: false; reason: string };

/**
 * Reads a token's claims and says whether it is shaped like a service token for `service`:
 * `token_use: "service"`, that `sub`, and an `exp`. It does not check the signature or the time
 * (the token source does both at start-up); the point is to catch a user's token, another
 * service's, or a truncated paste, and to name what is wrong.
 *
 * @example
 * const inspected = inspectServiceToken(token, 'recommender');
 * if (!inspected.ok) throw new Error(`SERVICE_TOKEN ${inspected.reason}`);
 */
export function inspectServiceToken(token: string, service: string): ServiceTokenInspection {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    return { ok: false, reason: 'is not a JWT (three base64url parts, the middle one JSON claims)' };
  }
  if (claims['token_use'] !== 'service') return { ok: false, reason: 'must be a service token (token_use "service"), not a user\'s token' };
  if (claims.sub !== service) return { ok: false, reason: `must be issued to ${service} (sub "${service}")` };
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return { ok: false, reason: 'must carry an expiry (a numeric exp claim)' };
  const iat = typeof claims.iat === 'number' && claims.iat < claims.exp ? claims.iat : undefined;
  return { ok: true, claims: { sub: service, exp: claims.exp, ...(iat !== undefined ? { iat } : {}) } };
}

/** Anything that hands out the token to send now, such as a `ServiceTokenSource`. */
export interface ServiceTokenReader {
  current(): string;
}

/**
 * The `Authorization` header value for each call: a fixed token, or the reader's current one (so
 * a renewed token is used from the next call on). Throws when there is neither — a wiring bug.
 *
 * @example
 * const authorization = bearerFor(options.serviceToken, 'profile client');
 * headers.authorization = authorization();
 */
export function bearerFor(token: string | ServiceTokenReader | undefined, client: string): () => string {
  if (token === undefined || token === '') throw new TypeError(`the ${client} needs a service token: pass SERVICE_TOKEN or the service token source`);
  if (typeof token === 'string') {
    const fixed = `Bearer ${token}`;
    return () => fixed;
  }
  return () => `Bearer ${token.current()}`;
}
