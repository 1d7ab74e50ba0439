import { subjects } from '@oo/contracts';
import { defineService, type Kit } from '@oo/service';
import { createRoutes } from './app';
import { gatewayConfigSchema, type GatewayConfig } from './config';
import type { GatewayDatabase } from './db/database';
import { gatewayMigrations } from './db/migrations';
import { handleUserDeletion } from './events/consumers/user-deletion.consumer';
import { createItemsService } from './features/items/items.service';

type GatewayKit = Kit<GatewayConfig, GatewayDatabase, typeof subjects>;

// gateway's own parts, built once from the kit at start-up (clients, caches, timers go here too).
function setupGateway(kit: GatewayKit) {
  return { items: createItemsService({ db: kit.db }) };
}

/** What gateway's routes and handlers receive: the kit and its own parts. */
export type GatewayContext = GatewayKit & ReturnType<typeof setupGateway>;

/**
 * gateway, declared: `main.ts`, the test harness and the embedded start all run this. Every
 * subscription here must be declared in deploy/nats/consumers/gateway.json, and the other way
 * round, or the service refuses to start.
 */
export const gatewayService = defineService<GatewayDatabase>()({
  name: 'gateway',
  config: gatewayConfigSchema,
  migrations: gatewayMigrations,
  subjects,
  setup: setupGateway,
  routes: (ctx) => createRoutes(ctx),
  subscriptions: [
    {
      durable: 'gateway__user_deletion',
      subject: 'users.deletion.requested',
      // A repeated request for a user erased here still needs its receipt.
      applyToErasedUsers: true,
      handler: (trx, event, ctx) => handleUserDeletion(trx, event.message, ctx),
    },
  ],
});
