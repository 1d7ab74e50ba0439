import { pageQuery } from '../schemas/common.schemas';
import { feedbackBodySchema, feedbackSchema, historySchema, recommendationSchema, servedTipSchema, tipIdParams } from '../schemas/tips.schemas';
import { caller } from './caller.middleware';
import { queryString, seg, type RouteDeps } from './route-deps';
import { defineRoute, type AnyRoute } from './route-table';

/** The decision and its feedback, for the caller (the recommender reads the user from the forwarded token). */
export function tipsRoutes({ recommender }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/tips', tag: 'tips', access: 'user', summary: 'The one next thing worth doing',
      responses: { 200: { description: 'A tip', schema: recommendationSchema }, 204: { description: 'Nothing to suggest right now' } },
      handle: (_input, res) => recommender.pipe({ method: 'POST', path: '/v1/recommend', authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/tips/{id}/feedback', tag: 'tips', access: 'user', summary: 'How you reacted to a tip',
      params: tipIdParams,
      body: { schema: feedbackBodySchema, contentTypes: ['application/json'] },
      responses: { 200: { description: 'Already recorded', schema: feedbackSchema }, 202: { description: 'Recorded', schema: feedbackSchema } },
      handle: ({ params, body }, res) =>
        recommender.pipe({ method: 'POST', path: `/v1/tips/${seg(params.id)}/feedback`, authorization: caller(res).authorization, body }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/tips/history', tag: 'tips', access: 'user', summary: 'Your recent tips, newest first', query: pageQuery,
      responses: { 200: { description: 'A page of tips', schema: historySchema } },
      handle: ({ query }, res) => recommender.pipe({ method: 'GET', path: `/v1/tips/history${queryString(query)}`, authorization: caller(res).authorization }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/tips/{id}', tag: 'tips', access: 'user', summary: 'One of your tips, where a notification leads', params: tipIdParams,
      responses: { 200: { description: 'The tip, with your reaction if you gave one', schema: servedTipSchema } },
      handle: ({ params }, res) => recommender.pipe({ method: 'GET', path: `/v1/tips/${seg(params.id)}`, authorization: caller(res).authorization }, res),
    }),
  ];
}
