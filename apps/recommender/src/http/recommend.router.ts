import { Router } from 'express';
import { principal, requestContext } from '@oo/http';
import { recommend, type RecommendDeps } from '../features/decisions/recommend.service';

/** POST /v1/recommend: the one next thing for the caller, or 204 when there is nothing to suggest. */
export function recommendRouter(deps: RecommendDeps): Router {
  return Router().post('/v1/recommend', async (_req, res) => {
    const tip = await recommend(deps, principal(res).userId, requestContext(res).traceparent);
    if (tip) res.json(tip);
    else res.status(204).end();
  });
}
