import { Router } from 'express';
import { completeSignIn, startSignIn } from '../features/sign-in/sign-in.service';
import { parseSignInRequest } from '../features/sign-in/sign-in-request';
import type { AuthContext } from '../service';

/** `POST /internal/v1/sign-in` and `POST /internal/v1/sign-in/callback` (README: Internal routes). */
export function signInRouter(ctx: AuthContext): Router {
  const router = Router();
  router.post('/internal/v1/sign-in', async (req, res) => {
    const request = parseSignInRequest(req.body, ctx.config.NATIVE_CLIENT_IDS);
    res.status(201).json(await startSignIn(ctx, request));
  });
  // Every failure here is AUTH_SIGN_IN_FAILED (400), checked in the feature, not a schema error:
  // the gateway shows the person one "sign-in failed" page whatever went wrong.
  router.post('/internal/v1/sign-in/callback', async (req, res) => {
    const body: unknown = req.body;
    res.json(await completeSignIn(ctx, typeof body === 'object' && body !== null ? body : {}));
  });
  return router;
}
