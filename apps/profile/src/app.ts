import { Router } from 'express';
import { requireAuth } from '@oo/http';
import { adminRouter } from './http/admin.router';
import { consentsRouter } from './http/consents.router';
import { featuresRouter } from './http/features.router';
import { preferencesRouter } from './http/preferences.router';
import { registryRouter } from './http/registry.router';
import type { ProfileContext } from './service';

/** The profile's HTTP API, mounted by the service kit. */
export function createRoutes(ctx: ProfileContext): Router[] {
  const { db, registry, features, clock, enqueue } = ctx;
  const auth = Router();
  auth.use(['/v1/profiles', '/v1/admin'], requireAuth(ctx.verifier));
  return [
    registryRouter(registry),
    auth,
    featuresRouter(features),
    preferencesRouter(db, { db, features, enqueue, clock }),
    consentsRouter({ db, enqueue, clock }),
    adminRouter(db, registry, clock),
  ];
}
