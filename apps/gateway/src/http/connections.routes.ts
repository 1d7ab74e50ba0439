import {
  callbackQuery,
  connectBodySchema,
  connectionIdParams,
  connectionSchema,
  connectionsSchema,
  connectStartSchema,
  disconnectSchema,
  feedBodySchema,
  oauthProviderParams,
  providersSchema,
} from '../schemas/integrations.schemas';
import { caller } from './caller.middleware';
import { queryString, seg, type RouteDeps } from './route-deps';
import { defineRoute, type AnyRoute } from './route-table';

/** The caller's sources of tasks: connect, watch, sync and disconnect them (integrations reads the user from the forwarded token). */
export function connectionsRoutes({ integrations }: RouteDeps): AnyRoute[] {
  const as = (res: Parameters<typeof caller>[0]) => caller(res).authorization;
  return [
    defineRoute({
      method: 'get', path: '/v1/connections/providers', tag: 'connections', access: 'user', summary: 'The sources you can connect, and whether this deployment can',
      responses: { 200: { description: 'Providers', schema: providersSchema } },
      handle: (_input, res) => integrations.pipe({ method: 'GET', path: '/v1/integrations/providers', authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/me/connections', tag: 'connections', access: 'user', summary: 'Your connections, with status, last sync and last error',
      responses: { 200: { description: 'Your connections', schema: connectionsSchema } },
      handle: (_input, res) => integrations.pipe({ method: 'GET', path: '/v1/integrations/connections', authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/me/connections/{provider}/connect', tag: 'connections', access: 'user',
      summary: 'Starts connecting Todoist or Google Tasks (also how a connection that needs re-authorisation recovers): send the browser to authorizationUrl',
      params: oauthProviderParams,
      body: { schema: connectBodySchema, contentTypes: ['application/json'], required: false },
      responses: { 200: { description: 'Where to send the browser', schema: connectStartSchema } },
      handle: ({ params, body }, res) =>
        integrations.pipe({ method: 'POST', path: `/v1/integrations/connect/${seg(params.provider)}`, authorization: as(res), body: body ?? {} }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/connections/{provider}/callback', tag: 'connections', access: 'user',
      summary: 'Where the provider sends the browser back (with your session cookie): completes the connection started by the same user',
      params: oauthProviderParams, query: callbackQuery,
      responses: { 201: { description: 'Connected; the first sync starts at once', schema: connectionSchema } },
      handle: ({ params, query }, res) =>
        integrations.pipe({ method: 'GET', path: `/v1/integrations/connect/${seg(params.provider)}/callback${queryString(query)}`, authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/me/feeds', tag: 'connections', access: 'user', summary: 'Adds a calendar feed (iCalendar URL): its to-dos become tasks, its events busy times',
      body: { schema: feedBodySchema, contentTypes: ['application/json'] },
      responses: { 201: { description: 'Added; the first fetch starts at once', schema: connectionSchema } },
      handle: ({ body }, res) => integrations.pipe({ method: 'POST', path: '/v1/integrations/feeds', authorization: as(res), body }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/me/connections/{id}/sync', tag: 'connections', access: 'user', summary: 'Syncs a connection now',
      params: connectionIdParams,
      responses: { 202: { description: 'Queued', schema: connectionSchema } },
      handle: ({ params }, res) => integrations.pipe({ method: 'POST', path: `/v1/integrations/connections/${seg(params.id)}/sync`, authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'delete', path: '/v1/me/connections/{id}', tag: 'connections', access: 'user',
      summary: 'Disconnects a source: revokes oO’s access at the provider where it can, deletes the tokens, and its tasks stop being suggested',
      params: connectionIdParams,
      responses: { 200: { description: 'Disconnected', schema: disconnectSchema } },
      handle: ({ params }, res) => integrations.pipe({ method: 'DELETE', path: `/v1/integrations/connections/${seg(params.id)}`, authorization: as(res) }, res),
    }),
  ];
}
