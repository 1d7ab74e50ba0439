import { Router } from 'express';
import { requireAuth } from '@oo/http';
import { connectionsRouter } from './http/connections.router';
import { tasksRouter } from './http/tasks.router';
import type { IntegrationsContext } from './service';

/** integrations's HTTP API, mounted by the service kit: everything under `/v1/integrations` needs a bearer token. */
export function createRoutes(ctx: IntegrationsContext): Router[] {
  const auth = Router();
  auth.use('/v1/integrations', requireAuth(ctx.verifier));
  return [auth, connectionsRouter(ctx), tasksRouter(ctx.manualTasks)];
}
