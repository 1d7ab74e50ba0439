import { Router } from 'express';
import { requireAuth } from '@oo/http';
import { modelsRouter } from './http/models.router';
import { policiesRouter } from './http/policies.router';
import { replicaRouter } from './http/replica.router';
import { scoreRouter } from './http/score.router';
import { requireServiceOrAdmin } from './http/service-caller';
import type { MlServingContext } from './service';

/** ml-serving's HTTP API, mounted by the service kit. */
export function createRoutes(ctx: MlServingContext): Router[] {
  const auth = Router();
  auth.use('/v1', requireAuth(ctx.verifier), requireServiceOrAdmin());
  return [auth, scoreRouter(ctx.scorer, ctx.metrics), modelsRouter(ctx.live), replicaRouter(ctx), policiesRouter(ctx.promotion)];
}
