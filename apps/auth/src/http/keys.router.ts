import { Router } from 'express';
import { requireAdmin, requireAuth } from '@oo/http';
import type { AuthContext } from '../service';

/**
 * `POST /internal/v1/keys/rotate` (admins): the published next key signs from now on, the old
 * one stays in the JWKS until its tokens expired, and a new next key is published. For an
 * operator who suspects a key, and for the rotation test.
 *
 * @example
 * const routes = [wellKnownRouter(ctx), keysRouter(ctx)];
 */
export function keysRouter(ctx: Pick<AuthContext, 'keys' | 'verifier'>): Router {
  const router = Router();
  router.post('/internal/v1/keys/rotate', requireAuth(ctx.verifier), requireAdmin(), async (_req, res) => {
    await ctx.keys.rotate();
    const signing = ctx.keys.activeKey();
    res.json({ signingKid: signing.kid, publishedKids: ctx.keys.publishedKeys().map((k) => k.kid) });
  });
  return router;
}
