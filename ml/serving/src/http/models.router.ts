import { Router } from 'express';
import { MlServingError } from '../errors';
import type { LiveModel } from '../features/model-state/live-model';

/** `GET /v1/models/current`: which model this instance serves — layout, version, observations learned. */
export function modelsRouter(live: LiveModel): Router {
  return Router().get('/v1/models/current', (_req, res) => {
    const status = live.status();
    if (status === undefined) throw new MlServingError('ML_MODEL_NOT_READY', 'the model is still loading');
    res.json(status);
  });
}
