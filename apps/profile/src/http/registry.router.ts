import { Router } from 'express';
import type { FeatureRegistry } from '../features/registry/feature-registry';

/** The registry in its language-neutral form (no user data, so no token needed). */
export function registryRouter(registry: FeatureRegistry): Router {
  const document = registry.toDocument();
  return Router().get('/v1/registry', (_req, res) => {
    res.json(document);
  });
}
