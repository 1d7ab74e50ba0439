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
  /**
   * The services whose tokens may call this route on any user's behalf, by name (the token's
   * `sub`), e.g. `['recommender']`. Default none: every other service token gets 403.
   */
  services?: readonly string[];
}

function serviceMayCall(caller: Principal, services: readonly string[]): boolean {
  return caller.service !== undefined && services.includes(caller.service);
}

function forbiddenFor(caller: Principal, userDetail: string) {
  const detail = caller.service !== undefined ? `the ${caller.service} service may not call this route` : userDetail;
  return forbidden(detail, { code: 'AUTH_FORBIDDEN' });
}

/**
 * Lets the request through when the caller is the user named by the route parameter, an admin,
 * or one of the services listed for this route; otherwise 403. Put it after `requireAuth`.
 *
 * @example
 * router.get('/v1/profiles/:userId', requireAuth(verifier), requireSelfOrAdmin('userId'), handler);
 * router.get('/v1/profiles/:userId/features', requireSelfOrAdmin('userId', { services: ['recommender'] }), handler);
 */
export function requireSelfOrAdmin(paramName = 'userId', options: SelfOrAdminOptions = {}): RequestHandler {
  const services = Object.freeze([...(options.services ?? [])]);
  return (req, res, next) => {
    const caller = principal(res);
    const allowed = caller.service !== undefined ? serviceMayCall(caller, services) : caller.isAdmin || caller.userId === req.params[paramName];
    next(allowed ? undefined : forbiddenFor(caller, 'you may only access your own data'));
  };
}

/**
 * For internal APIs: the listed services and admins get through; a person's own token, and any
 * other service's, get 403. Put it after `requireAuth`.
 *
 * @example
 * router.post('/v1/score', requireServiceOrAdmin(['recommender']), handler);
 */
export function requireServiceOrAdmin(services: readonly string[]): RequestHandler {
  const allowedServices = Object.freeze([...services]);
  return (_req, res, next) => {
    const caller = principal(res);
    const allowed = caller.service !== undefined ? serviceMayCall(caller, allowedServices) : caller.isAdmin;
    next(allowed ? undefined : forbiddenFor(caller, 'only services and admins may call this route'));
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
