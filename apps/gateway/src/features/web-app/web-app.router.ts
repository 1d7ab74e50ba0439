import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

// Paths that belong to the API or the kit (health, metrics): a browser asking for them wants
// their own answer or their 404, never the web app's page.
const NOT_THE_APP = /^\/(v1|docs|openapi\.json|healthz|readyz|metrics)(\/|$)/;

/** True when `dir` holds a built web app (its `index.html`). */
export function hasWebApp(dir: string): boolean {
  return dir !== '' && existsSync(join(dir, 'index.html'));
}

/**
 * Serves the built single-page app of `dir`: its files (hashed assets cached for a year, the rest
 * revalidated), and `index.html` for any other page a browser asks for, so a deep link such as
 * `/history` or a notification's `/now?decision=…` opens the app, which then routes itself.
 *
 * @example
 * if (hasWebApp(config.WEB_APP_DIR)) app.use(webAppRouter(config.WEB_APP_DIR));
 */
export function webAppRouter(dir: string): Router {
  const router = Router();
  const index = join(dir, 'index.html');
  // Mounted before the route table: API requests leave at once, without a file lookup on disk.
  router.use((req, _res, next) => next(NOT_THE_APP.test(req.path) ? 'router' : undefined));
  router.use(
    express.static(dir, {
      index: false,
      setHeaders(res, path) {
        // Vite names built assets by their content: a changed file is a new name.
        const immutable = path.startsWith(join(dir, 'assets'));
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.get(/.*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
