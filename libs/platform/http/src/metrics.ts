import type { RequestHandler } from 'express';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { routeTemplate } from './route-template';

export interface MetricsOptions {
  /** Added as a `service` label to every series. */
  service: string;
  /** Process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

export type HttpDurationLabels = 'method' | 'route' | 'status_code';

/** One app's metrics: its own registry, so tests can build many apps in one process. */
export interface HttpMetrics {
  /** Register a service's own metrics here (`registers: [metrics.registry]`). */
  registry: Registry;
  httpRequestDuration: Histogram<HttpDurationLabels>;
  /** Times every request into `http_request_duration_seconds`. */
  middleware: RequestHandler;
  /** Serves the registry in Prometheus text format (mount at `GET /metrics`). */
  handler: RequestHandler;
}

// Fine at the low end: the hot path's targets are single-digit milliseconds.
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates a registry with default process metrics and an HTTP request duration histogram
 * labelled by method, route template (`/v1/tips/:id`, or `unmatched`) and status code.
 *
 * @example
 * const metrics = createMetrics({ service: 'recommender' });
 * const decisions = new Counter({ name: 'decisions_total', help: 'Decisions made', registers: [metrics.registry] });
 * const app = createBaseApp({ service: 'recommender', log, readiness, metrics });
 */
export function createMetrics(options: MetricsOptions): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram<HttpDurationLabels>({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const stop = httpRequestDuration.startTimer();
    res.once('finish', () => {
      stop({ method: req.method, route: routeTemplate(req), status_code: String(res.statusCode) });
    });
    next();
  };
  const handler: RequestHandler = async (_req, res) => {
    const body = await registry.metrics();
    res.set('Content-Type', registry.contentType).send(body);
  };
  return { registry, httpRequestDuration, middleware, handler };
}
