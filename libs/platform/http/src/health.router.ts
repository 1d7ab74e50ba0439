import type { Logger } from '@oo/logger';
import { Router } from 'express';
import type { Readiness } from './readiness';
import { findRequestContext } from './request-context.middleware';

/**
 * `GET /healthz` (liveness: the process answers; touches no dependency, always 200) and
 * `GET /readyz` (readiness: 200 `ready` when every check passes; 200 `degraded` naming the failed
 * non-critical checks; 503 `not_ready` naming the failed critical ones; 503 `shutting_down` once
 * shutdown began). Check errors go to the log, not to the caller.
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
    if (report.shuttingDown) {
      res.status(503).json({ status: 'shutting_down', checks: report.checks, failed: [] });
      return;
    }
    const { checks, failed, degraded, errors } = report;
    if (report.ready && degraded.length === 0) {
      res.json({ status: 'ready', checks });
      return;
    }
    const log = findRequestContext(res)?.log ?? fallback;
    if (report.ready) {
      log?.warn({ checks, errors }, 'degraded');
      res.json({ status: 'degraded', checks, degraded });
      return;
    }
    log?.warn({ checks, errors }, 'not ready');
    res.status(503).json({ status: 'not_ready', checks, failed, ...(degraded.length > 0 && { degraded }) });
  });
  return router;
}
