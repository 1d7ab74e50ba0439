import type { RequestHandler } from 'express';
import { GatewayError } from '../errors';
import { caller } from './caller.middleware';

/**
 * Admins only (the `admin` role of the caller's verified token); the upstreams check it again.
 * Put it after `authenticate`.
 *
 * @example
 * router.get('/v1/admin/data-quality', authenticate(deps), requireAdminCaller(), handler);
 */
export function requireAdminCaller(): RequestHandler {
  return (_req, res, next) => {
    next(caller(res).isAdmin ? undefined : new GatewayError('GATEWAY_ADMIN_REQUIRED', 'admins only'));
  };
}
