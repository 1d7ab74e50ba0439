import { GatewayError } from '../errors';
import { clearCookie } from '../features/session/cookies';
import { deletionAcceptedSchema, deletionParams, deletionSchema, deletionsQuery, deletionsSchema } from '../schemas/deletion.schemas';
import { caller } from './caller.middleware';
import { queryString, seg, type RouteDeps } from './route-deps';
import { defineRoute, type AnyRoute } from './route-table';

/**
 * Deleting the account: only after a recent sign-in, since it cannot be undone and signs the
 * person out everywhere; its progress at a URL that needs no session (the request id, a random
 * UUID, is the capability), and the list for admins.
 */
export function deletionRoutes({ auth, cookies, reauthMaxAgeMs, clock }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'delete', path: '/v1/me', tag: 'me', access: 'user',
      summary: 'Deletes your account and everything oO holds about you (needs a sign-in within the last minutes)',
      responses: { 202: { description: 'Deletion started; you are signed out everywhere', schema: deletionAcceptedSchema } },
      async handle(_input, res) {
        const { userId, authTime, session } = caller(res);
        if (!authTime || clock().getTime() - authTime.getTime() > reauthMaxAgeMs) {
          throw new GatewayError('GATEWAY_REAUTH_REQUIRED', `sign in again (within ${Math.round(reauthMaxAgeMs / 60_000)} minutes) to delete your account`);
        }
        const { requestId, dueAt } = await auth.requestDeletion(userId, res);
        // auth has ended every session; the browser's cookie goes too.
        if (session) clearCookie(res, cookies, cookies.session);
        res.status(202).json({ requestId, dueAt, statusUrl: `/v1/deletions/${requestId}` });
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/deletions/{requestId}', tag: 'me', access: 'public', params: deletionParams,
      summary: "An account deletion's progress: every service's receipt and the deadline",
      responses: { 200: { description: 'The deletion', schema: deletionSchema } },
      handle: ({ params }, res) => auth.deletion(params.requestId, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/deletions', tag: 'admin', access: 'admin', query: deletionsQuery,
      summary: 'Account deletions, newest first; `status=overdue` for those past their deadline',
      responses: { 200: { description: 'A page of deletions', schema: deletionsSchema } },
      handle: ({ query }, res) => auth.pipeAsCaller(`/internal/v1/deletions${queryString(query)}`, caller(res).authorization, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/deletions/{requestId}', tag: 'admin', access: 'admin', params: deletionParams,
      summary: 'One account deletion',
      responses: { 200: { description: 'The deletion', schema: deletionSchema } },
      handle: ({ params }, res) => auth.pipeAsCaller(`/internal/v1/deletions/${seg(params.requestId)}`, caller(res).authorization, res),
    }),
  ];
}
