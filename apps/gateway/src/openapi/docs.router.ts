import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { OpenApiDocument } from './openapi-document';

/**
 * Where swagger-ui's assets are: beside the bundle in the image (the build copies them to
 * `swagger-ui/`), else in node_modules. Served by this process: there is no CDN to load them from.
 */
function swaggerAssetsDir(): string {
  const bundled = join(__dirname, 'swagger-ui');
  return existsSync(join(bundled, 'swagger-ui-bundle.js')) ? bundled : dirname(require.resolve('swagger-ui-dist/package.json'));
}

/**
 * `GET /openapi.json` and the interactive reference at `/docs`.
 *
 * @example
 * app.use(docsRouter(document));
 */
export function docsRouter(document: OpenApiDocument): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  const [initScript] = swaggerUi.serve;
  router.get('/docs', swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' }, customSiteTitle: 'oO API' }));
  router.use('/docs', ...(initScript ? [initScript] : []), express.static(swaggerAssetsDir(), { index: false }));
  return router;
}
