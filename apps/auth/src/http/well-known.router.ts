import { Router } from 'express';
import type { AuthContext } from '../service';

// Shorter than SIGNING_KEY_PUBLISH_AHEAD_MS (an hour by default): every cache holds the next key
// before it signs anything.
const JWKS_MAX_AGE_SEC = 300;

/**
 * `GET /.well-known/jwks.json`: every published, unexpired signing key — the one that signs, the
 * next one, and retired ones until their tokens expired.
 *
 * @example
 * const routes = [wellKnownRouter(ctx), tokenRouter(ctx), internalRouter(ctx)];
 */
export function wellKnownRouter(ctx: Pick<AuthContext, 'keys'>): Router {
  const router = Router();
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SEC}`).json({ keys: ctx.keys.publishedKeys() });
  });
  return router;
}
