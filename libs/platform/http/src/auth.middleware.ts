import type { RequestHandler, Response } from 'express';
import { HttpProblem, forbidden, unauthorized } from './http-problem';
import { AuthError, type JwtVerifier, type Principal } from './jwt-verifier';

const principals = new WeakMap<Response, Principal>();

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Requires `Authorization: Bearer <token>` with a valid token and puts the caller on
 * `res.locals.principal` (read it with `principal(res)`). Any token problem is a 401
 * problem+json with `WWW-Authenticate: Bearer error="invalid_token"`; if the signing keys cannot
 * be fetched it is a 503.
 *
 * @example
 * router.get('/v1/me', requireAuth(verifier), (req, res) => res.json({ id: principal(res).userId }));
 */
export function requireAuth(verifier: JwtVerifier): RequestHandler {
  return async (req, res, next) => {
    const token = BEARER.exec(req.get('authorization') ?? '')?.[1];
    if (!token) {
      next(unauthorized('a bearer token is required', { code: 'AUTH_INVALID_TOKEN' }));
      return;
    }
    try {
      const caller = await verifier.verify(token);
      principals.set(res, caller);
      res.locals['principal'] = caller;
      next();
    } catch (err) {
      if (err instanceof AuthError && err.code === 'AUTH_INVALID_TOKEN') {
        next(unauthorized(err.message, { code: err.code, cause: err }));
      } else if (err instanceof AuthError) {
        next(new HttpProblem(503, { code: err.code, detail: 'authentication is temporarily unavailable', cause: err }));
      } else {
        next(err);
      }
    }
  };
}

/**
 * The authenticated caller; throws when `requireAuth` did not run for this route (a wiring bug,
 * so a 500 rather than a 401).
 *
 * @example
 * const { userId, isAdmin } = principal(res);
 */
export function principal(res: Response): Principal {
  const caller = principals.get(res);
  if (!caller) throw new Error('principal(res) used on a route without requireAuth');
  return caller;
}

export interface SelfOrAdminOptions {
  /** Also let service tokens through (service-to-service calls on a user's behalf). Default false. */
  allowServices?: boolean;
}

/**
 * Lets the request through when the caller is the user named by the route parameter, or an
 * admin; otherwise 403. Put it after `requireAuth`.
 *
 * @example
 * router.get('/v1/profiles/:userId', requireAuth(verifier), requireSelfOrAdmin('userId'), handler);
 */
export function requireSelfOrAdmin(paramName = 'userId', options: SelfOrAdminOptions = {}): RequestHandler {
  return (req, res, next) => {
    const caller = principal(res);
    const allowed =
      caller.isAdmin ||
      (caller.service !== undefined ? options.allowServices === true : caller.userId === req.params[paramName]);
    next(allowed ? undefined : forbidden("you may only access your own data", { code: 'AUTH_FORBIDDEN' }));
  };
}

/**
 * Admins only; otherwise 403. Put it after `requireAuth`.
 *
 * @example
 * router.use('/v1/admin', requireAuth(verifier), requireAdmin());
 */
export function requireAdmin(): RequestHandler {
  return (_req, res, next) => {
    next(principal(res).isAdmin ? undefined : forbidden('admins only', { code: 'AUTH_FORBIDDEN' }));
  };
}
