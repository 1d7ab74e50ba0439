import type { RequestHandler } from 'express';
import { forbidden, principal } from '@oo/http';

/**
 * Lets through service tokens (the recommender, pipelines) and admins; a person's own token gets
 * a 403: scores and model internals are not a user-facing API. Put it after `requireAuth`.
 */
export function requireServiceOrAdmin(): RequestHandler {
  return (_req, res, next) => {
    const caller = principal(res);
    const allowed = caller.service !== undefined || caller.isAdmin;
    next(allowed ? undefined : forbidden('only services and admins may call ml-serving', { code: 'AUTH_FORBIDDEN' }));
  };
}
