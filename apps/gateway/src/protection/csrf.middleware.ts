import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { GatewayError } from '../errors';
import { caller } from '../http/caller.middleware';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function requestOrigin(req: Request): string | undefined {
  const origin = req.get('origin');
  if (origin && origin !== 'null') return origin;
  // Some browsers leave Origin out on same-origin requests; the Referer then says where it came from.
  const referer = req.get('referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

// Hashing first gives equal lengths, so the comparison leaks neither content nor length.
function sameSecret(offered: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(offered), digest(expected));
}

/**
 * For callers that came with the session cookie, on unsafe methods: the request must come from
 * the public origin or one of `WEB_ORIGINS`, and carry `X-CSRF-Token` equal to the session's
 * token; else 403 `GATEWAY_CSRF_FAILED`. Bearer callers are not affected (a browser never adds
 * their header by itself). Put it after `authenticate`.
 *
 * @example
 * router.post('/v1/tips', authenticate(deps), csrfProtection(allowedOrigins), handler);
 */
export function csrfProtection(allowedOrigins: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const session = caller(res).session;
    if (!session || SAFE_METHODS.has(req.method)) return next();
    const origin = requestOrigin(req);
    if (!origin || !allowedOrigins.has(origin)) {
      return next(new GatewayError('GATEWAY_CSRF_FAILED', origin ? `requests from ${origin} may not use the session` : 'the request names no Origin'));
    }
    const offered = req.get('x-csrf-token');
    if (!offered || !sameSecret(offered, session.csrfToken)) {
      return next(new GatewayError('GATEWAY_CSRF_FAILED', 'X-CSRF-Token is missing or does not match the session (GET /v1/auth/session)'));
    }
    next();
  };
}
