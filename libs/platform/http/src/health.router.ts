import type { Logger } from '@oo/logger';
import { Router } from 'express';
import type { Readiness } from './readiness';
import { findRequestContext } from './request-context.middleware';

/**
 * `GET /healthz` (liveness: the process answers; touches no dependency, always 200) and
 * `GET /readyz` (readiness: 200 when every check passes, else 503 naming the failed checks, or
 * `shutting_down` once shutdown began). Check errors go to the log, not to the caller.
 *
 * @example
 * app.use(healthRouter(readiness, log));
 */
export function healthRouter(readiness: Readiness, fallback?: Logger): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await readiness.check();
    res.set('Cache-Control', 'no-store');
    if (report.ready) {
      res.json({ status: 'ready', checks: report.checks });
      return;
    }
    if (report.shuttingDown) {
      res.status(503).json({ status: 'shutting_down', checks: report.checks, failed: [] });
      return;
    }
    const failed = Object.keys(report.errors);
    (findRequestContext(res)?.log ?? fallback)?.warn({ checks: report.checks, errors: report.errors }, 'not ready');
    res.status(503).json({ status: 'not_ready', checks: report.checks, failed });
  });
  return router;
}
