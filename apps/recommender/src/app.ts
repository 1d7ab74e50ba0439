import type { Express } from 'express';
import type { Kysely } from '@oo/db';
import { createBaseApp, finishApp, requireAuth, type HttpMetrics, type JwtVerifier, type Readiness } from '@oo/http';
import type { Logger } from '@oo/logger';
import type { RecommenderDatabase } from './db/database';
import type { AdviceLibrary } from './features/advice/advice-library';
import type { RecommendDeps } from './features/decisions/recommend.service';
import { adviceRouter } from './http/advice.router';
import { recommendRouter } from './http/recommend.router';
import { tipsRouter } from './http/tips.router';
import { usersOnly } from './http/users-only';

export interface AppDeps {
  db: Kysely<RecommenderDatabase>;
  log: Logger;
  readiness: Readiness;
  metrics: HttpMetrics;
  verifier: JwtVerifier;
  advice: AdviceLibrary;
  recommend: RecommendDeps;
}

// The only bodies this API takes are a reaction; anything near this size is not one.
const JSON_LIMIT = '4kb';

/** The recommender's HTTP API; it does not listen. */
export function createApp(deps: AppDeps): Express {
  const app = createBaseApp({ service: 'recommender', log: deps.log, readiness: deps.readiness, metrics: deps.metrics, jsonLimit: JSON_LIMIT });
  app.use(adviceRouter(deps.advice));
  app.use(['/v1/recommend', '/v1/tips'], requireAuth(deps.verifier), usersOnly());
  app.use(recommendRouter(deps.recommend));
  app.use(tipsRouter(deps.db, { db: deps.db, clock: deps.recommend.clock, enqueue: deps.recommend.enqueue }));
  return finishApp(app);
}
