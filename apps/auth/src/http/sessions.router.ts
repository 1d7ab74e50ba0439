import { Router } from 'express';
import { validate } from '@oo/http';
import { z } from 'zod';
import { revokeRefreshToken } from '../features/native-apps/native-apps.service';
import { accessTokenForSession, revokeSession } from '../features/sessions/sessions.service';
import type { AuthContext } from '../service';

const opaque = z.string().min(1).max(256);
const sessionBody = z.strictObject({ sessionToken: opaque });
const refreshBody = z.strictObject({ refreshToken: opaque, clientId: z.string().min(1).max(128) });

/** Web sessions (access tokens, sign-out) and native apps' sign-out (README: Internal routes). */
export function sessionsRouter(ctx: AuthContext): Router {
  const router = Router();
  router.post('/internal/v1/sessions/access-token', async (req, res) => {
    const { sessionToken } = validate(sessionBody, req.body, 'body');
    res.set('cache-control', 'no-store').json(await accessTokenForSession(ctx, sessionToken));
  });
  router.post('/internal/v1/sessions/revoke', async (req, res) => {
    const { sessionToken } = validate(sessionBody, req.body, 'body');
    await revokeSession(ctx, sessionToken);
    res.status(204).end();
  });
  router.post('/internal/v1/refresh-tokens/revoke', async (req, res) => {
    const { refreshToken, clientId } = validate(refreshBody, req.body, 'body');
    await revokeRefreshToken(ctx, refreshToken, clientId);
    res.status(204).end();
  });
  return router;
}
