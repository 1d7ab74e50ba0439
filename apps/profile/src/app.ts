import type { Express } from 'express';
import type { Kysely } from '@oo/db';
import { createBaseApp, finishApp, requireAuth, type JwtVerifier, type Readiness } from '@oo/http';
import type { Logger } from '@oo/logger';
import type { ProfileDatabase } from './db/database';
import type { EnqueueEvent } from './events/outbox';
import type { Clock, ProfileFeaturesService } from './features/profile-features/profile-features.service';
import type { FeatureRegistry } from './features/registry/feature-registry';
import { consentsRouter } from './http/consents.router';
import { featuresRouter } from './http/features.router';
import { preferencesRouter } from './http/preferences.router';
import { adminRouter } from './http/admin.router';
import { registryRouter } from './http/registry.router';

export interface AppDeps {
  db: Kysely<ProfileDatabase>;
  log: Logger;
  readiness: Readiness;
  verifier: JwtVerifier;
  registry: FeatureRegistry;
  features: ProfileFeaturesService;
  enqueue: EnqueueEvent;
  clock: Clock;
}

/** The profile service's HTTP API; it does not listen. */
export function createApp(deps: AppDeps): Express {
  const { db, registry, features, enqueue, clock } = deps;
  const app = createBaseApp({ service: 'profile', log: deps.log, readiness: deps.readiness });
  app.use(registryRouter(registry));
  app.use(['/v1/profiles', '/v1/admin'], requireAuth(deps.verifier));
  app.use(featuresRouter(features));
  app.use(preferencesRouter(db, { db, features, enqueue, clock }));
  app.use(consentsRouter({ db, enqueue, clock }));
  app.use(adminRouter(db, registry, clock));
  return finishApp(app);
}
