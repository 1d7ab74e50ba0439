import type { Logger } from '@oo/logger';
import express, { type Express } from 'express';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRouter } from './health.router';
import { createMetrics, type HttpMetrics } from './metrics';
import type { Readiness } from './readiness';
import { requestContextMiddleware } from './request-context.middleware';
import { requestLogger } from './request-logger.middleware';

export interface BaseAppOptions {
  service: string;
  log: Logger;
  readiness: Readiness;
  /** The app's metrics; created when omitted; `false` for no `/metrics` endpoint. */
  metrics?: HttpMetrics | false;
  /** Largest JSON body accepted. Default `100kb`. */
  jsonLimit?: string;
}

const fallbackLogs = new WeakMap<Express, Logger>();

/**
 * An Express app with the parts every service needs, in order: request id and trace context,
 * request logging, request metrics and `GET /metrics`, `GET /healthz` and `GET /readyz`, and a
 * JSON body parser (`application/json` and `+json`, 100 kB). Add routers, then call `finishApp`.
 *
 * @example
 * const app = createBaseApp({ service: 'profile', log, readiness });
 * app.use('/v1/profiles', profileRouter(deps));
 * finishApp(app);
 */
export function createBaseApp(options: BaseAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  fallbackLogs.set(app, options.log);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(requestContextMiddleware(options.log));
  app.use(requestLogger(options.log));
  const metrics = options.metrics ?? createMetrics({ service: options.service });
  if (metrics) {
    app.use(metrics.middleware);
    app.get('/metrics', metrics.handler);
  }
  app.use(healthRouter(options.readiness, options.log));
  app.use(express.json({ limit: options.jsonLimit ?? '100kb', type: ['application/json', 'application/*+json'] }));
  return app;
}

/**
 * Adds the 404 handler and the problem+json error handler; call it after the last router.
 *
 * @example
 * finishApp(app);
 */
export function finishApp(app: Express): Express {
  app.use(notFoundHandler());
  app.use(errorHandler(fallbackLogs.get(app)));
  return app;
}
