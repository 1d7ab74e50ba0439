import { endpointQuery, notificationsQuery, notificationsSchema, pushSubscriptionSchema, subscriptionIdSchema, unsubscribeBody, unsubscribeQuery, vapidKeySchema } from '../schemas/notifications.schemas';
import { caller } from './caller.middleware';
import { queryString, type RouteDeps } from './route-deps';
import { defineRoute, type AnyRoute } from './route-table';

/** Push subscriptions, the caller's notifications, and the one-click unsubscribe that needs no session. */
export function notificationsRoutes({ notifier }: RouteDeps): AnyRoute[] {
  const as = (res: Parameters<typeof caller>[0]) => caller(res).authorization;
  return [
    defineRoute({
      method: 'get', path: '/v1/notifications/vapid-public-key', tag: 'notifications', access: 'user', summary: 'The key a browser subscribes to push with',
      responses: { 200: { description: 'The VAPID public key', schema: vapidKeySchema } },
      handle: (_input, res) => notifier.pipe({ method: 'GET', path: '/v1/notifier/vapid-public-key', authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'put', path: '/v1/me/push-subscriptions', tag: 'notifications', access: 'user', summary: 'Registers this browser for push (the PushSubscription JSON); again is harmless',
      body: { schema: pushSubscriptionSchema, contentTypes: ['application/json'] },
      responses: { 200: { description: 'Already registered', schema: subscriptionIdSchema }, 201: { description: 'Registered', schema: subscriptionIdSchema } },
      handle: ({ body }, res) => notifier.pipe({ method: 'PUT', path: '/v1/notifier/push-subscriptions', authorization: as(res), body }, res),
    }),
    defineRoute({
      method: 'delete', path: '/v1/me/push-subscriptions', tag: 'notifications', access: 'user', summary: 'Stops push to a browser', query: endpointQuery,
      responses: { 204: { description: 'Removed' } },
      handle: ({ query }, res) => notifier.pipe({ method: 'DELETE', path: `/v1/notifier/push-subscriptions${queryString(query)}`, authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/me/notifications', tag: 'notifications', access: 'user', summary: 'Your recent notifications, and why each was sent or not', query: notificationsQuery,
      responses: { 200: { description: 'Newest first', schema: notificationsSchema } },
      handle: ({ query }, res) => notifier.pipe({ method: 'GET', path: `/v1/notifier/deliveries${queryString(query)}`, authorization: as(res) }, res),
    }),
    defineRoute({
      method: 'get', path: '/v1/notifications/unsubscribe', tag: 'notifications', access: 'public', summary: 'The unsubscribe link of an e-mail: a page with one button (opening it changes nothing)', query: unsubscribeQuery,
      responses: { 200: { description: 'The page', contentType: 'text/html' } },
      handle: ({ query }, res) => notifier.pipe({ method: 'GET', path: `/v1/notifier/unsubscribe${queryString(query)}` }, res),
    }),
    defineRoute({
      method: 'post', path: '/v1/notifications/unsubscribe', tag: 'notifications', access: 'public', summary: 'One-click unsubscribe (RFC 8058): turns the channel off, no session needed', query: unsubscribeQuery,
      body: { schema: unsubscribeBody, contentTypes: ['application/x-www-form-urlencoded'], required: false },
      responses: { 200: { description: 'Unsubscribed', contentType: 'text/html' } },
      handle: ({ query }, res) => notifier.pipe({ method: 'POST', path: `/v1/notifier/unsubscribe${queryString(query)}` }, res),
    }),
  ];
}
