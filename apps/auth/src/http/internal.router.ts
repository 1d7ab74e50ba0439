import { Router } from 'express';
import { requireAuth, requireServiceOrAdmin } from '@oo/http';
import type { AuthContext } from '../service';
import { deletionsRouter } from './deletions.router';
import { exportsRouter } from './exports.router';
import { sessionsRouter } from './sessions.router';
import { signInRouter } from './sign-in.router';
import { usersRouter } from './users.router';

/**
 * auth's internal API under `/internal`: the gateway's service token (or an admin's) only.
 *
 * @example
 * const routes = [wellKnownRouter(ctx), tokenRouter(ctx), internalRouter(ctx)];
 */
export function internalRouter(ctx: AuthContext): Router {
  const router = Router();
  router.use('/internal', requireAuth(ctx.verifier), requireServiceOrAdmin(['gateway']));
  router.use(signInRouter(ctx), sessionsRouter(ctx), usersRouter(ctx), deletionsRouter(ctx), exportsRouter(ctx));
  return router;
}
