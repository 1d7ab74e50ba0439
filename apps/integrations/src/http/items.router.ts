import { Router } from 'express';
import { z } from 'zod';
import { principal, validate } from '@oo/http';
import type { ItemsService } from '../features/items/items.service';

const itemParams = z.object({ id: z.uuid() });

/**
 * `GET /v1/integrations/items/:id`: one of the caller's items. 400 when the id is not a UUID, 404
 * (`INTEGRATIONS_ITEM_NOT_FOUND`) for an unknown item or another user's; 401 comes from `requireAuth`.
 */
export function itemsRouter(items: ItemsService, options: { maxAgeSeconds: number }): Router {
  const router = Router();
  router.get('/v1/integrations/items/:id', async (req, res) => {
    const { id } = validate(itemParams, req.params, 'params');
    const item = await items.itemOf(principal(res).userId, id);
    res.set('cache-control', `private, max-age=${options.maxAgeSeconds}`).json(item);
  });
  return router;
}
