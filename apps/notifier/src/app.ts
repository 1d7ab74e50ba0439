import { Router } from 'express';
import { requireAuth } from '@oo/http';
import { notificationsRouter } from './http/notifications.router';
import { unsubscribeRouter } from './http/unsubscribe.router';
import type { NotifierContext } from './service';

/** The notifier's HTTP API, mounted by the service kit: a bearer token everywhere but the signed unsubscribe link. */
export function createRoutes(ctx: NotifierContext): Router[] {
  const auth = Router();
  const guard = requireAuth(ctx.verifier);
  auth.use('/v1/notifier', (req, res, next) => (req.path === '/unsubscribe' ? next() : guard(req, res, next)));
  return [unsubscribeRouter(ctx), auth, notificationsRouter(ctx)];
}
