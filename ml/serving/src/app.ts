import type { Express } from 'express';
import { createBaseApp, finishApp, requireAuth, type HttpMetrics, type JwtVerifier, type Readiness } from '@oo/http';
import type { Logger } from '@oo/logger';
import type { LiveModel } from './features/model-state/live-model';
import type { Scorer } from './features/scoring/scoring.service';
import { modelsRouter } from './http/models.router';
import { scoreRouter } from './http/score.router';
import { requireServiceOrAdmin } from './http/service-caller';
import type { MlMetrics } from './metrics';

export interface AppDeps {
  log: Logger;
  readiness: Readiness;
  verifier: JwtVerifier;
  httpMetrics: HttpMetrics;
  metrics: MlMetrics;
  scorer: Scorer;
  live: LiveModel;
}

// 100 candidates × 64 features is the largest valid request; it fits well inside this.
const JSON_LIMIT = '512kb';

/** ml-serving's HTTP API; it does not listen. */
export function createApp(deps: AppDeps): Express {
  const app = createBaseApp({ service: 'ml-serving', log: deps.log, readiness: deps.readiness, metrics: deps.httpMetrics, jsonLimit: JSON_LIMIT });
  app.use('/v1', requireAuth(deps.verifier), requireServiceOrAdmin());
  app.use(scoreRouter(deps.scorer, deps.metrics));
  app.use(modelsRouter(deps.live));
  return finishApp(app);
}
