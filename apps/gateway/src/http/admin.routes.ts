import { adminProfileSchema, keyRotationSchema } from '../schemas/auth.schemas';
import { pageQuery, userIdParams } from '../schemas/common.schemas';
import { dataQualitySchema, featuresSchema } from '../schemas/profile.schemas';
import { policiesQuery, policiesSchema, promotionIdParams, promotionRequestSchema, promotionResultSchema, revertResultSchema } from '../schemas/policies.schemas';
import { learningQuery, learningSchema, userDecisionsQuery, userDecisionsSchema } from '../schemas/insights.schemas';
import { nudgeOutcomesQuery, nudgeOutcomesSchema } from '../schemas/tips.schemas';
import { caller } from './caller.middleware';
import { queryString, seg, type RouteDeps } from './route-deps';
import { defineRoute, type AnyRoute } from './route-table';

/** Admin views of any user (the admin role from the caller's token; the upstreams check it again). */
export function adminRoutes({ auth, profile, recommender, mlServing }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/admin/users/{userId}/profile', tag: 'admin', access: 'admin', params: userIdParams,
      summary: "A user's account, preferences and features in one answer",
      responses: { 200: { description: 'The user', schema: adminProfileSchema } },
      async handle({ params }, res) {
        const authorization = caller(res).authorization;
        const base = `/v1/profiles/${seg(params.userId)}`;
        const [user, preferences, features] = await Promise.all([
          auth.user(params.userId, res),
          profile.json<unknown>({ method: 'GET', path: `${base}/preferences`, authorization }, res),
          profile.json<unknown>({ method: 'GET', path: `${base}/features`, authorization }, res),
        ]);
        res.json({ user, preferences: preferences.body, features: features.body });
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/users/{userId}/features/rebuild', tag: 'admin', access: 'admin', params: userIdParams,
      summary: "Recomputes every feature of a user",
      responses: { 200: { description: 'The rebuilt features', schema: featuresSchema } },
      handle: ({ params }, res) => profile.pipe({ method: 'POST', path: `/v1/profiles/${seg(params.userId)}/features/rebuild`, authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/data-quality', tag: 'admin', access: 'admin', query: pageQuery,
      summary: 'Per feature: eligible users, missing and stale values',
      responses: { 200: { description: 'A page of features', schema: dataQualitySchema } },
      handle: ({ query }, res) => profile.pipe({ method: 'GET', path: `/v1/admin/data-quality${queryString(query)}`, authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/nudges/outcomes', tag: 'admin', access: 'admin', query: nudgeOutcomesQuery,
      summary: 'Per channel: nudges requested, delivered, failed, and how often a delivered one led to done',
      responses: { 200: { description: 'Outcomes per channel', schema: nudgeOutcomesSchema } },
      handle: ({ query }, res) => recommender.pipe({ method: 'GET', path: `/v1/admin/nudges/outcomes${queryString(query)}`, authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/policies', tag: 'admin', access: 'admin', query: policiesQuery,
      summary: 'The live policy and shadows in force, and the latest switches with their evidence',
      responses: { 200: { description: 'The assignment and its history', schema: policiesSchema } },
      handle: ({ query }, res) => mlServing.pipe({ method: 'GET', path: `/v1/policies${queryString(query)}`, authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/policies/promotions', tag: 'admin', access: 'admin',
      body: { schema: promotionRequestSchema, contentTypes: ['application/json'] },
      summary: 'Evaluates every shadow against the live policy on the decision log, and promotes one whose SNIPS and DR lower bounds beat the live upper bounds',
      responses: {
        200: { description: 'Nothing promoted (dry run, or no shadow passed): the evaluation says why', schema: promotionResultSchema },
        201: { description: 'Promoted: the switch and its evidence', schema: promotionResultSchema },
      },
      handle: ({ body }, res) => mlServing.pipe({ method: 'POST', path: '/v1/policies/promotions', authorization: caller(res).authorization, body }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/policies/promotions/{promotionId}/revert', tag: 'admin', access: 'admin', params: promotionIdParams,
      summary: 'Undoes the switch in force: the previous live policy chooses again',
      responses: { 201: { description: 'The reversal', schema: revertResultSchema } },
      handle: ({ params }, res) => mlServing.pipe({ method: 'POST', path: `/v1/policies/promotions/${seg(params.promotionId)}/revert`, authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/users/{userId}/decisions', tag: 'admin', access: 'admin', params: userIdParams, query: userDecisionsQuery,
      summary: "A user's recent decisions: candidates with the live and shadow policies' probabilities, the choice and the reward",
      responses: { 200: { description: 'The decisions, newest first', schema: userDecisionsSchema } },
      handle: ({ params, query }, res) => recommender.pipe({ method: 'GET', path: `/v1/admin/users/${seg(params.userId)}/decisions${queryString(query)}`, authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/learning', tag: 'admin', access: 'admin', query: learningQuery,
      summary: 'The learning curve, off-policy estimates of the live, shadow and uniform policies with intervals, models, fallback share and decision latency',
      responses: { 200: { description: 'The learning report', schema: learningSchema } },
      handle: ({ query }, res) => recommender.pipe({ method: 'GET', path: `/v1/admin/learning${queryString(query)}`, authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/keys/rotate', tag: 'admin', access: 'admin',
      summary: 'Rotates the signing key now: the published next key signs, the old one stays until its tokens expired',
      responses: { 200: { description: 'The keys after the rotation', schema: keyRotationSchema } },
      handle: (_input, res) => auth.rotateKeys(caller(res).authorization, res),
    }),
  ];
}
