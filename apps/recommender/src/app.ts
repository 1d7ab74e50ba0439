import { Router } from 'express';
import { requireAuth } from '@oo/http';
import { adviceRouter } from './http/advice.router';
import { insightsRouter } from './http/insights.router';
import { nudgesRouter } from './http/nudges.router';
import { recommendRouter } from './http/recommend.router';
import { tipsRouter } from './http/tips.router';
import { usersOnly } from './http/users-only';
import type { RecommenderContext } from './service';

/** The recommender's HTTP API, mounted by the service kit. */
export function createRoutes(ctx: RecommenderContext): Router[] {
  const auth = Router();
  auth.use(['/v1/recommend', '/v1/tips'], requireAuth(ctx.verifier), usersOnly());
  return [
    adviceRouter(ctx.advice),
    auth,
    recommendRouter(ctx.recommend),
    nudgesRouter(ctx.db, ctx.verifier, ctx.clock),
    insightsRouter({ db: ctx.db, verifier: ctx.verifier, clock: ctx.clock, registry: ctx.registry }),
    tipsRouter(ctx.db, { db: ctx.db, clock: ctx.clock, enqueue: ctx.enqueue }),
  ];
}
