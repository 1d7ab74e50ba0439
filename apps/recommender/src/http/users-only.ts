import type { RequestHandler } from 'express';
import { forbidden, principal } from '@oo/http';

/**
 * Tips are chosen for, and reacted to by, a person: a service token (whose `sub` is a service
 * name, not a user) gets 403. Put it after `requireAuth`.
 */
export function usersOnly(): RequestHandler {
  return (_req, res, next) => {
    next(principal(res).service === undefined ? undefined : forbidden('tips are for users; service tokens cannot ask for or react to them', { code: 'AUTH_USER_REQUIRED' }));
  };
}
