import { Router } from 'express';
import { validate } from '@oo/http';
import { z } from 'zod';
import { requestDeletion } from '../features/deletion/deletion.service';
import { signOutEverywhere } from '../features/sessions/sign-out-everywhere';
import { getUser } from '../features/users/users.service';
import type { AuthContext } from '../service';

const userParams = z.object({ userId: z.uuid('must be a user id (a UUID)') });

/** A user: read, sign out everywhere, ask for deletion (README: Internal routes). */
export function usersRouter(ctx: AuthContext): Router {
  const router = Router();
  router.get('/internal/v1/users/:userId', async (req, res) => {
    const { userId } = validate(userParams, req.params, 'params');
    res.json(await getUser(ctx, userId));
  });
  router.post('/internal/v1/users/:userId/revoke', async (req, res) => {
    const { userId } = validate(userParams, req.params, 'params');
    await signOutEverywhere(ctx, userId);
    res.status(204).end();
  });
  router.post('/internal/v1/users/:userId/deletion', async (req, res) => {
    const { userId } = validate(userParams, req.params, 'params');
    res.status(202).json(await requestDeletion({ ...ctx, ...ctx.deletion }, userId));
  });
  return router;
}
