import { Router } from 'express';
import { requireAuth } from '@oo/http';
import { itemsRouter } from './http/items.router';
import type { IntegrationsContext } from './service';

/** integrations's HTTP API, mounted by the service kit: everything under `/v1/integrations` needs a bearer token. */
export function createRoutes(ctx: IntegrationsContext): Router[] {
  const auth = Router();
  auth.use('/v1/integrations', requireAuth(ctx.verifier));
  return [auth, itemsRouter(ctx.items, { maxAgeSeconds: ctx.config.ITEM_MAX_AGE_SECONDS })];
}
