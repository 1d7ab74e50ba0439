import type { RequestHandler } from 'express';
import { requireServiceOrAdmin as servicesOrAdmin } from '@oo/http';

/**
 * The services whose tokens ml-serving answers: the recommender, which scores every decision.
 * Nothing else calls it (ml/pipelines evaluates from the decision log and simulates through the
 * recommender and profile), so any other service's token gets 403 like a person's.
 */
export const ML_SERVING_CALLERS: readonly string[] = Object.freeze(['recommender']);

/**
 * ml-serving's gate in front of `/v1` (`POST /v1/score`, `GET /v1/models/current`): the services
 * in `ML_SERVING_CALLERS` and admins; a person's own token and other services' tokens get 403 —
 * scores and model internals are not a user-facing API. Put it after `requireAuth`.
 *
 * @example
 * app.use('/v1', requireAuth(verifier), requireServiceOrAdmin());
 */
export function requireServiceOrAdmin(): RequestHandler {
  return servicesOrAdmin(ML_SERVING_CALLERS);
}
