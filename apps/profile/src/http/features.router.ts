import { Router } from 'express';
import { requireSelfOrAdmin, validate } from '@oo/http';
import type { ProfileFeaturesService } from '../features/profile-features/profile-features.service';
import { userIdParams } from './user-param';

/**
 * GET a user's features (lazily refreshed) and POST to rebuild them all. The recommender reads
 * features as context for each decision; a rebuild is for the user or an admin, no service needs it.
 */
export function featuresRouter(features: ProfileFeaturesService): Router {
  const router = Router();
  router.get('/v1/profiles/:userId/features', requireSelfOrAdmin('userId', { services: ['recommender'] }), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    res.json(await features.getProfile(userId));
  });
  router.post('/v1/profiles/:userId/features/rebuild', requireSelfOrAdmin('userId'), async (req, res) => {
    const { userId } = validate(userIdParams, req.params, 'params');
    res.json(await features.rebuild(userId));
  });
  return router;
}
