import { Router } from 'express';
import { z } from 'zod';
import { pageRequest, toPage } from '@oo/http';
import { MlServingError } from '../errors';
import type { LiveModel } from '../features/model-state/live-model';

const checkpointCursor = z.object({ version: z.number().int().min(0), layoutVersion: z.string().max(64) });

/**
 * `GET /v1/models/current`: which model this instance serves — layout, version, observations
 * learned. `GET /v1/models`: the stored checkpoints, newest first (`?limit=&cursor=`).
 */
export function modelsRouter(live: LiveModel): Router {
  const router = Router();
  router.get('/v1/models/current', (_req, res) => {
    const status = live.status();
    if (status === undefined) throw new MlServingError('ML_MODEL_NOT_READY', 'the model is still loading');
    res.json(status);
  });
  router.get('/v1/models', async (req, res) => {
    const { limit, after } = pageRequest(req.query, checkpointCursor);
    const rows = await live.checkpoints(limit + 1, after);
    res.json(toPage(rows, limit, (last) => ({ version: last.version, layoutVersion: last.layoutVersion })));
  });
  return router;
}
