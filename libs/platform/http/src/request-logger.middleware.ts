import type { Logger } from '@oo/logger';
import type { RequestHandler, Response } from 'express';
import { findRequestContext } from './request-context.middleware';
import { pathOf, routeTemplate } from './route-template';

// Probes arrive every few seconds; at info they would drown the useful lines.
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

const QUIET = Symbol('quiet request log');

/**
 * Marks a request as routine machine traffic (a long poll, a replica's follow-up): its line is
 * logged at debug, as probes are, so it does not drown the useful ones at info.
 *
 * @example
 * router.get('/v1/models/current/observations', (req, res) => { logQuietly(res); … });
 */
export function logQuietly(res: Response): void {
  (res.locals as Record<symbol, boolean>)[QUIET] = true;
}

/**
 * Logs one line per request when it completes (or is aborted by the client): method, path
 * without query, route template, status and duration. 5xx at error, probes at debug, the rest at
 * info. Uses the request's context logger when `requestContextMiddleware` ran before it.
 *
 * @example
 * app.use(requestContextMiddleware(log), requestLogger(log));
 */
export function requestLogger(fallback: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const fields = () => ({
      method: req.method,
      path: pathOf(req),
      route: routeTemplate(req),
      status: res.statusCode,
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    });
    let finished = false;
    res.once('finish', () => {
      finished = true;
      const log = findRequestContext(res)?.log ?? fallback;
      const line = fields();
      if (line.status >= 500) log.error(line, 'request failed');
      else if (QUIET_PATHS.has(line.path) || (res.locals as Record<symbol, boolean>)[QUIET]) log.debug(line, 'request completed');
      else log.info(line, 'request completed');
    });
    res.once('close', () => {
      if (!finished) (findRequestContext(res)?.log ?? fallback).warn(fields(), 'request aborted by client');
    });
    next();
  };
}
