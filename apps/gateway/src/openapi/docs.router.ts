import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { OpenApiDocument } from './openapi-document';

/**
 * `GET /openapi.json` and the interactive reference at `/docs` (swagger-ui's assets are served
 * from node_modules by this process: no CDN).
 *
 * @example
 * app.use(docsRouter(document));
 */
export function docsRouter(document: OpenApiDocument): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use('/docs', swaggerUi.serve);
  router.get('/docs', swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' }, customSiteTitle: 'oO API' }));
  return router;
}
