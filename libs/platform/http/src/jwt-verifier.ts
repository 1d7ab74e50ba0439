import { createJwksKeySource, type JwksKeySource, type KeySourceHealth, type KeySourceLogger } from './jwks-key-source';
import { RevocationList, type Revocation } from './revocation-list';
import { VerifiedTokenCache } from './verified-token-cache';
import {
  createLocalJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

/** The audience every oO access token is issued for. */
export const OO_AUDIENCE = 'oo';

/**
 * Who is calling, from a verified access token.
 *
 * The `token_use` claim says what a token is for, and only two kinds get in: `"access"` (a
 * person's access token) and `"service"` (issued to one of our services; its `sub` is the calling
 * service's name, e.g. `recommender`, and appears here as `service`). A refresh or id token, or a
 * token that does not say, is refused: otherwise any token the issuer signs would act as a user.
 */
export interface Principal {
  /** The token's `sub`: a user id, or the service name for service tokens. */
  userId: string;
  /** The `roles` claim (an array of strings; absent means none). Always empty for service tokens. */
  roles: readonly string[];
  /** `roles` contains `admin`; never true for a service token. */
  isAdmin: boolean;
  /** Set only for service tokens: the calling service's name. */
  service?: string;
  /** When the person signed in (OIDC `auth_time`), for routes that want a recent sign-in; absent when the token does not say. */
  authTime?: Date;
}

export type AuthErrorCode = 'AUTH_INVALID_TOKEN' | 'AUTH_KEYS_UNAVAILABLE';

/** Why a token was not accepted; `cause` keeps jose's error. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface JwtVerifierOptions {
  /** Expected `iss` (AUTH_ISSUER). */
  issuer: string;
  /** Expected `aud`; default `oo`. */
  audience?: string;
  /**
   * Where to fetch the signing keys (AUTH_JWKS_URL): refreshed every few minutes and on an unknown
   * `kid` (at most every 30 s); the last good keys stay in use while the endpoint is down.
   */
  jwksUrl?: string;
  /** The signing keys inline (AUTH_JWKS). Give exactly one of `jwksUrl` and `jwks`. */
  jwks?: JSONWebKeySet;
  /** Allowed clock skew for `exp`/`nbf`, in seconds. Default 5. */
  clockToleranceSec?: number;
  /** Time source, for tests. */
  now?: () => Date;
  /** How many verified tokens to remember until they expire; 0 turns the cache off. Default 10 000. */
  cacheSize?: number;
  /** The longest lifetime of any token the issuer signs, in seconds: how long a revocation is kept. Default 3600. */
  maxTokenLifetimeSec?: number;
  /** Where JWKS outages are reported (once each). */
  log?: KeySourceLogger;
  /** Timings of the JWKS key source (tests). */
  jwksTimings?: { refreshIntervalMs?: number; unknownKidCooldownMs?: number; timeoutMs?: number; retryWithoutKeysMs?: number };
}

/** What `requireAuth` needs: a token in, the caller out. */
export interface JwtVerifier {
  /** Resolves to the caller, or rejects with an `AuthError`. */
  verify(token: string): Promise<Principal>;
}

/** The verifier `createJwtVerifier` builds: it also applies revocations and owns its key refresh. */
export interface TokenVerifier extends JwtVerifier {
  /**
   * From now on refuses the user's tokens issued before `revokedBefore` (only those of session
   * `sessionId` when given), including tokens verified and cached earlier.
   */
  revoke(revocation: Revocation): void;
  /** Where the signing keys stand (always `hasKeys` with inline keys). */
  keysHealth(): KeySourceHealth;
  /** Stops the background key refresh (shutdown). */
  close(): void;
}

// jose errors that mean "this token is not acceptable". Anything else (JWKS endpoint down,
// timed out or answering garbage) is our problem, not the caller's.
const TOKEN_ERROR_CODES = new Set<string>([
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWTInvalid.code,
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

function keySource(options: JwtVerifierOptions): Pick<JwksKeySource, 'getKey' | 'health' | 'stop'> {
  if ((options.jwksUrl === undefined) === (options.jwks === undefined)) {
    throw new TypeError('createJwtVerifier needs exactly one of jwksUrl and jwks');
  }
  if (options.jwks) {
    const getKey: JWTVerifyGetKey = createLocalJWKSet(options.jwks);
    return { getKey, health: () => ({ hasKeys: true, lastFetchFailed: false }), stop: () => undefined };
  }
  return createJwksKeySource({ url: String(options.jwksUrl), ...options.jwksTimings, ...(options.log ? { log: options.log } : {}), ...(options.now ? { now: () => (options.now as () => Date)().getTime() } : {}) });
}

interface Verified {
  readonly principal: Principal;
  readonly iat: number;
  readonly sid?: string | undefined;
}

const REVOKED = 'the token has been revoked';

function rolesOf(payload: JWTPayload): string[] {
  const roles = payload['roles'];
  if (roles === undefined) return [];
  if (Array.isArray(roles) && roles.every((r): r is string => typeof r === 'string')) return roles;
  throw new AuthError('AUTH_INVALID_TOKEN', 'the roles claim must be an array of strings');
}

function toPrincipal(payload: JWTPayload): Principal {
  const userId = payload.sub;
  if (!userId) throw new AuthError('AUTH_INVALID_TOKEN', 'the token has no subject');
  const use = payload['token_use'];
  if (use === 'service') {
    // A service's rights are the routes that name it: roles in its token grant nothing.
    return { userId, roles: [], isAdmin: false, service: userId };
  }
  if (use !== 'access') throw new AuthError('AUTH_INVALID_TOKEN', "the token's token_use claim is not acceptable");
  const roles = rolesOf(payload);
  const authTime = payload['auth_time'];
  if (authTime !== undefined && (typeof authTime !== 'number' || !Number.isFinite(authTime))) throw new AuthError('AUTH_INVALID_TOKEN', 'the auth_time claim must be a number of seconds');
  return { userId, roles, isAdmin: roles.includes('admin'), ...(authTime === undefined ? {} : { authTime: new Date(authTime * 1000) }) };
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `the token's ${err.claim} claim is not acceptable`;
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with ES256';
  return 'the token is invalid';
}

/**
 * Verifies bearer access tokens: ES256 signatures only (so `none` and HMAC tokens are refused
 * before any key is touched), issuer, audience `oo`, required `sub`, `exp` and `iat`, and `token_use`
 * `access` (a user) or `service` (one of our services); any other `token_use`, or none, is refused.
 * Revoked tokens (`revoke`, fed from `users.revoked` by the kit) are refused, cached or not.
 *
 * @example
 * const verifier = createJwtVerifier({ issuer: config.AUTH_ISSUER, jwksUrl: config.AUTH_JWKS_URL, jwks: config.AUTH_JWKS });
 * router.use(requireAuth(verifier));
 */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const keys = keySource(options);
  const audience = options.audience ?? OO_AUDIENCE;
  const clockTolerance = options.clockToleranceSec ?? 5;
  const cache = new VerifiedTokenCache<Verified>(options.cacheSize ?? 10_000);
  const revocations = new RevocationList(((options.maxTokenLifetimeSec ?? 3_600) + clockTolerance) * 1000);
  const nowMs = (): number => (options.now ? options.now() : new Date()).getTime();
  const admit = (verified: Verified, at: number): Principal => {
    if (revocations.isRevoked(verified.principal.userId, verified.iat, verified.sid, at)) throw new AuthError('AUTH_INVALID_TOKEN', REVOKED);
    return verified.principal;
  };
  return {
    async verify(token) {
      const at = nowMs();
      const cached = cache.get(token, at);
      if (cached) return admit(cached, at);
      let verified: Verified;
      try {
        const { payload } = await jwtVerify(token, keys.getKey, {
          algorithms: ['ES256'],
          issuer: options.issuer,
          audience,
          requiredClaims: ['sub', 'exp', 'iat'],
          clockTolerance,
          ...(options.now ? { currentDate: options.now() } : {}),
        });
        const sid = typeof payload['sid'] === 'string' ? payload['sid'] : undefined;
        verified = Object.freeze({ principal: Object.freeze(toPrincipal(payload)), iat: payload.iat ?? 0, sid });
        // Cached only until `exp` itself (no tolerance), so expiry is never extended.
        cache.set(token, verified, (payload.exp ?? 0) * 1000);
      } catch (err) {
        if (err instanceof AuthError) throw err;
        if (err instanceof errors.JOSEError && TOKEN_ERROR_CODES.has(err.code)) {
          throw new AuthError('AUTH_INVALID_TOKEN', describe(err), { cause: err });
        }
        throw new AuthError('AUTH_KEYS_UNAVAILABLE', 'the signing keys could not be loaded', { cause: err });
      }
      return admit(verified, at);
    },
    revoke: (revocation) => revocations.add(revocation, nowMs()),
    keysHealth: () => keys.health(),
    close: () => keys.stop(),
  };
}
