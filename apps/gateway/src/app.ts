import { Router } from 'express';
import { requireAuth } from '@oo/http';
import { itemsRouter } from './http/items.router';
import type { GatewayContext } from './service';

/** gateway's HTTP API, mounted by the service kit: everything under `/v1/gateway` needs a bearer token. */
export function createRoutes(ctx: GatewayContext): Router[] {
  const auth = Router();
  auth.use('/v1/gateway', requireAuth(ctx.verifier));
  return [auth, itemsRouter(ctx.items, { maxAgeSeconds: ctx.config.ITEM_MAX_AGE_SECONDS })];
}
