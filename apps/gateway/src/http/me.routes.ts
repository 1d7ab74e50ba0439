import { meSchema } from '../schemas/auth.schemas';
import { pageQuery } from '../schemas/common.schemas';
import { consentBodySchema, consentSchema, consentsSchema, featuresSchema, preferencesBodySchema, preferencesPatchSchema, preferencesSchema } from '../schemas/profile.schemas';
import { caller } from './caller.middleware';
import { queryString, seg, type RouteDeps } from './route-deps';
import { defineRoute, type AnyRoute } from './route-table';

export const MERGE_PATCH = 'application/merge-patch+json';

/** The caller's own account, features, preferences and consents: always the caller's id, never one from the client. */
export function meRoutes({ auth, profile }: RouteDeps): AnyRoute[] {
  const mine = (res: Parameters<typeof caller>[0], rest: string) => `/v1/profiles/${seg(caller(res).userId)}${rest}`;
  return [
    defineRoute({
      method: 'get', path: '/v1/me', tag: 'me', access: 'user', summary: 'The signed-in user',
      responses: { 200: { description: 'You', schema: meSchema } },
      async handle(_input, res) {
        res.json(await auth.user(caller(res).userId, res));
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/me/features', tag: 'me', access: 'user', summary: 'What the recommender knows of you, with ages',
      responses: { 200: { description: 'Your features', schema: featuresSchema } },
      handle: (_input, res) => profile.pipe({ method: 'GET', path: mine(res, '/features'), authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/me/preferences', tag: 'me', access: 'user', summary: 'Your timezone, quiet hours, channels and cadence',
      responses: { 200: { description: 'Your preferences', schema: preferencesSchema } },
      handle: (_input, res) => profile.pipe({ method: 'GET', path: mine(res, '/preferences'), authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'put', path: '/v1/me/preferences', tag: 'me', access: 'user', summary: 'Replaces your preferences',
      body: { schema: preferencesBodySchema, contentTypes: ['application/json'] },
      responses: { 200: { description: 'Your preferences', schema: preferencesSchema } },
      handle: ({ body }, res) => profile.pipe({ method: 'PUT', path: mine(res, '/preferences'), authorization: caller(res).authorization, body }, res),
    }),
    defineRoute({
      method: 'patch', path: '/v1/me/preferences', tag: 'me', access: 'user',
      summary: 'Changes only what the JSON merge patch (RFC 7396) names: send { "timezone": … } and only the timezone changes',
      body: { schema: preferencesPatchSchema, contentTypes: [MERGE_PATCH] },
      responses: { 200: { description: 'Your preferences after the patch', schema: preferencesSchema } },
      handle: ({ body }, res) =>
        profile.pipe({ method: 'PATCH', path: mine(res, '/preferences'), authorization: caller(res).authorization, body, contentType: MERGE_PATCH }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/me/consents', tag: 'me', access: 'user', summary: 'Your current consents, by purpose', query: pageQuery,
      responses: { 200: { description: 'A page of consents', schema: consentsSchema } },
      handle: ({ query }, res) => profile.pipe({ method: 'GET', path: mine(res, `/consents${queryString(query)}`), authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/me/consents', tag: 'me', access: 'user', summary: 'Grants or withdraws a consent (both one call)',
      body: { schema: consentBodySchema, contentTypes: ['application/json'] },
      responses: { 201: { description: 'Recorded', schema: consentSchema } },
      handle: ({ body }, res) => profile.pipe({ method: 'POST', path: mine(res, '/consents'), authorization: caller(res).authorization, body }, res),
    }),
  ];
}
