import { taskBodySchema, taskIdParams, taskPatchSchema, taskSchema, tasksQuery, tasksSchema } from '../schemas/integrations.schemas';
import { caller } from './caller.middleware';
import { queryString, seg, type RouteDeps } from './route-deps';
import { defineRoute, type AnyRoute } from './route-table';

/** The caller's tasks from every source, and the manual ones they write themselves. */
export function tasksRoutes({ integrations }: RouteDeps): AnyRoute[] {
  const as = (res: Parameters<typeof caller>[0]) => caller(res).authorization;
  return [
    defineRoute({
      method: 'get', path: '/v1/me/tasks', tag: 'tasks', access: 'user', summary: 'Your open tasks from every source, newest first', query: tasksQuery,
      responses: { 200: { description: 'A page of tasks', schema: tasksSchema } },
      handle: ({ query }, res) => integrations.pipe({ method: 'GET', path: `/v1/integrations/tasks${queryString(query)}`, authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/me/tasks', tag: 'tasks', access: 'user', summary: 'Adds a task of your own; tips can suggest it within a second',
      body: { schema: taskBodySchema, contentTypes: ['application/json'] },
      responses: { 201: { description: 'Added', schema: taskSchema } },
      handle: ({ body }, res) => integrations.pipe({ method: 'POST', path: '/v1/integrations/tasks', authorization: as(res), body }, res),
    }),
    defineRoute({
      method: 'patch', path: '/v1/me/tasks/{id}', tag: 'tasks', access: 'user', summary: 'Changes a task of your own (only the fields named: a JSON merge patch, RFC 7396)',
      params: taskIdParams,
      // The API client sends every PATCH as a merge patch; plain JSON stays accepted for older callers.
      body: { schema: taskPatchSchema, contentTypes: ['application/merge-patch+json', 'application/json'] },
      responses: { 200: { description: 'Changed', schema: taskSchema } },
      handle: ({ params, body }, res) => integrations.pipe({ method: 'PATCH', path: `/v1/integrations/tasks/${seg(params.id)}`, authorization: as(res), body }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/me/tasks/{id}/complete', tag: 'tasks', access: 'user', summary: 'Completes a task of your own',
      params: taskIdParams,
      responses: { 200: { description: 'Completed', schema: taskSchema } },
      handle: ({ params }, res) => integrations.pipe({ method: 'POST', path: `/v1/integrations/tasks/${seg(params.id)}/complete`, authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'delete', path: '/v1/me/tasks/{id}', tag: 'tasks', access: 'user', summary: 'Deletes a task of your own',
      params: taskIdParams,
      responses: { 204: { description: 'Deleted' } },
      handle: ({ params }, res) => integrations.pipe({ method: 'DELETE', path: `/v1/integrations/tasks/${seg(params.id)}`, authorization: as(res) }, res),
    }),
  ];
}
