import { subjects } from '@oo/contracts';
import { defineService, type Kit } from '@oo/service';
import { createRoutes } from './app';
import { integrationsConfigSchema, type IntegrationsConfig } from './config';
import type { IntegrationsDatabase } from './db/database';
import { integrationsMigrations } from './db/migrations';
import { handleUserDeletion } from './events/consumers/user-deletion.consumer';
import { createItemsService } from './features/items/items.service';

type IntegrationsKit = Kit<IntegrationsConfig, IntegrationsDatabase, typeof subjects>;

// integrations's own parts, built once from the kit at start-up (clients, caches, timers go here too).
function setupIntegrations(kit: IntegrationsKit) {
  return { items: createItemsService({ db: kit.db }) };
}

/** What integrations's routes and handlers receive: the kit and its own parts. */
export type IntegrationsContext = IntegrationsKit & ReturnType<typeof setupIntegrations>;

/**
 * integrations, declared: `main.ts`, the test harness and the embedded start all run this. Every
 * subscription here must be declared in deploy/nats/consumers/integrations.json, and the other way
 * round, or the service refuses to start.
 */
export const integrationsService = defineService<IntegrationsDatabase>()({
  name: 'integrations',
  config: integrationsConfigSchema,
  migrations: integrationsMigrations,
  subjects,
  setup: setupIntegrations,
  routes: (ctx) => createRoutes(ctx),
  subscriptions: [
    {
      durable: 'integrations__user_deletion',
      subject: 'users.deletion.requested',
      // A repeated request for a user erased here still needs its receipt.
      applyToErasedUsers: true,
      handler: (trx, event, ctx) => handleUserDeletion(trx, event.message, ctx),
    },
  ],
});
