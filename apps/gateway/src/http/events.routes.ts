import { z } from 'zod';
import { GatewayError } from '../errors';
import { consumersSchema, deadLetterParams, deadLettersQuery, deadLettersSchema, replayedSchema } from '../schemas/events.schemas';
import { defineRoute, type AnyRoute } from './route-table';
import type { RouteDeps } from './route-deps';

/** The admin console's Events page: consumer lag per durable, dead letters and their replay. */
export function eventsRoutes({ events }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/admin/events/consumers', tag: 'admin', access: 'admin',
      summary: 'Every durable consumer with its lag (events not yet delivered), unacknowledged and redelivered counts',
      responses: { 200: { description: 'The consumers, most behind first', schema: consumersSchema } },
      async handle(_input, res) {
        res.json({ consumers: await events.consumers() } satisfies z.input<typeof consumersSchema>);
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/events/dead-letters', tag: 'admin', access: 'admin', query: deadLettersQuery,
      summary: 'The events consumers gave up on, newest first, with the reason and the error',
      responses: { 200: { description: 'Dead letters', schema: deadLettersSchema } },
      async handle({ query }, res) {
        const deadLetters = await events.deadLetters({ limit: query.limit ?? 50, ...(query.durable ? { durable: query.durable } : {}) });
        res.json({ deadLetters } satisfies z.input<typeof deadLettersSchema>);
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/events/dead-letters/{sequence}/replay', tag: 'admin', access: 'admin', params: deadLetterParams,
      summary: 'Publishes a dead letter’s event again on its subject with its id, so only the consumer that gave up handles it',
      responses: { 200: { description: 'Replayed', schema: replayedSchema }, 404: { description: 'No such dead letter' } },
      async handle({ params }, res) {
        const replayed = await events.replay(params.sequence);
        if (!replayed) throw new GatewayError('GATEWAY_DEAD_LETTER_NOT_FOUND', `no dead letter ${params.sequence}`);
        res.json(replayed satisfies z.input<typeof replayedSchema>);
      },
    }),
  ];
}
