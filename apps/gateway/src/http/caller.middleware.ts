import type { RequestHandler, Response } from 'express';
import { AuthError, HttpProblem, unauthorized, type JwtVerifier, type Principal } from '@oo/http';
import { GatewayError } from '../errors';
import { clearCookie, readCookie, type CookieNames } from '../features/session/cookies';
import type { SessionExchange } from '../features/session/session-exchange';

/** Who is calling through the gateway, and the token that says so upstream. */
export interface Caller {
  readonly userId: string;
  readonly isAdmin: boolean;
  /** `Bearer <access token>`, forwarded to the upstreams as is. */
  readonly authorization: string;
  /** When the person signed in (the token's `auth_time`), for the routes that want a recent sign-in. */
  readonly authTime?: Date;
  /** Present when the caller came with the web session cookie (CSRF applies). */
  readonly session?: { token: string; sessionId: string; csrfToken: string; expiresAtMs: number };
}

export interface CallerDeps {
  verifier: JwtVerifier;
  sessions: SessionExchange;
  cookies: CookieNames;
}

const callers = new WeakMap<Response, Caller>();
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

function tokenProblem(err: unknown): unknown {
  if (err instanceof AuthError && err.code === 'AUTH_INVALID_TOKEN') return unauthorized(err.message, { code: err.code, cause: err });
  if (err instanceof AuthError) return new HttpProblem(503, { code: err.code, detail: 'authentication is temporarily unavailable', cause: err });
  return err;
}

function userOnly(principal: Principal): void {
  // Services talk to each other on the internal network; at the edge every caller is a person.
  if (principal.service !== undefined) throw new GatewayError('GATEWAY_USER_REQUIRED', 'the gateway serves people; service tokens are not accepted here');
}

/**
 * Authenticates the caller: a bearer access token (verified here, forwarded as is), else the
 * session cookie (exchanged at auth for an access token; an unknown or ended session clears the
 * cookie). Neither is a 401 problem.
 *
 * @example
 * router.get('/v1/me', authenticate(deps), handler);
 */
export function authenticate(deps: CallerDeps): RequestHandler {
  return async (req, res, next) => {
    try {
      const header = req.get('authorization');
      if (header !== undefined) {
        const token = BEARER.exec(header)?.[1];
        if (!token) throw unauthorized('the Authorization header must be a Bearer token', { code: 'AUTH_INVALID_TOKEN' });
        const principal = await deps.verifier.verify(token).catch((err: unknown) => Promise.reject(tokenProblem(err)));
        userOnly(principal);
        callers.set(res, { userId: principal.userId, isAdmin: principal.isAdmin, authorization: `Bearer ${token}`, ...(principal.authTime ? { authTime: principal.authTime } : {}) });
        next();
        return;
      }
      const sessionToken = readCookie(req, deps.cookies.session);
      if (!sessionToken) throw unauthorized('sign in, or send a bearer token', { code: 'AUTH_REQUIRED' });
      const grant = await deps.sessions.grantFor(sessionToken, res).catch((err: unknown) => {
        if (err instanceof HttpProblem && err.status === 401) clearCookie(res, deps.cookies, deps.cookies.session);
        return Promise.reject(tokenProblem(err));
      });
      userOnly(grant.principal);
      callers.set(res, {
        userId: grant.userId,
        isAdmin: grant.principal.isAdmin,
        authorization: `Bearer ${grant.accessToken}`,
        ...(grant.principal.authTime ? { authTime: grant.principal.authTime } : {}),
        session: { token: sessionToken, sessionId: grant.sessionId, csrfToken: grant.csrfToken, expiresAtMs: grant.expiresAtMs },
      });
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * The authenticated caller; throws when `authenticate` did not run (a wiring bug: 500).
 *
 * @example
 * const { userId, authorization } = caller(res);
 */
export function caller(res: Response): Caller {
  const found = callers.get(res);
  if (!found) throw new Error('caller(res) used on a route without authenticate');
  return found;
}

/** The caller when `authenticate` ran and succeeded, else undefined (for the per-user rate limit's key). */
export function findCaller(res: Response): Caller | undefined {
  return callers.get(res);
}
