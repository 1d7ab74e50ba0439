import { Router } from 'express';
import { requireSelfOrAdmin, validate } from '@oo/http';
import type { ProfileFeaturesService } from '../features/profile-features/profile-features.service';
import { userIdParams } from './user-param';

/** GET a user's features (lazily refreshed) and POST to rebuild them all. */
export function featuresRouter(features: ProfileFeaturesService): Router {
  const router = Router();
  router.get('/v1/profiles/:userId/features', requireSelfOrAdmin('userId', { allowServices: true }), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    res.json(await features.getProfile(userId));
  });
  router.post('/v1/profiles/:userId/features/rebuild', requireSelfOrAdmin('userId', { allowServices: true }), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    res.json(await features.rebuild(userId));
  });
  return router;
}
