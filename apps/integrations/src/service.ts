import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { subjects } from '@oo/contracts';
import { answerExportRequest, defineService, type Kit } from '@oo/service';
import { createRoutes } from './app';
import { integrationsConfigSchema, type IntegrationsConfig } from './config';
import type { IntegrationsDatabase } from './db/database';
import { integrationsMigrations } from './db/migrations';
import { INTEGRATIONS_EXPORT } from './features/export/integrations-export';
import { handleUserDeletion } from './events/consumers/user-deletion.consumer';
import { connectorsFrom } from './features/connectors/connector-registry';
import { createConnectionsService } from './features/connections/connections.service';
import { createManualTasksService } from './features/manual-tasks/manual-tasks.service';
import { createConnectFlow } from './features/oauth/connect-flow.service';
import { createSyncMetrics } from './features/sync/sync-metrics';
import { startSyncScheduler } from './features/sync/sync-scheduler';
import { startVaultRewrap } from './features/vault/vault-rewrap';
import { createTokenVault } from './features/vault/token-vault';

type IntegrationsKit = Kit<IntegrationsConfig, IntegrationsDatabase, typeof subjects>;

// integrations's own parts, built once from the kit at start-up.
function setupIntegrations(kit: IntegrationsKit) {
  const { config, db, log, clock, enqueue } = kit;
  const vault = createTokenVault(config.VAULT_MASTER_KEYS);
  const { connectors, oauth } = connectorsFrom(config);
  const metrics = createSyncMetrics(kit.registry);
  const timing = {
    intervalMs: config.SYNC_INTERVAL_MS,
    jitter: config.SYNC_JITTER,
    leaseMs: config.SYNC_LEASE_MS,
    backoffBaseMs: config.SYNC_BACKOFF_BASE_MS,
    backoffMaxMs: config.SYNC_BACKOFF_MAX_MS,
    busyHorizonDays: config.ICS_HORIZON_DAYS,
  };
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const runner = { db, log, clock, enqueue, vault, connectors, oauth, timing, owner, maxPagesPerRun: config.SYNC_MAX_PAGES_PER_RUN, allowPrivateFeeds: config.ICS_ALLOW_PRIVATE_NETWORKS };
  const scheduler = startSyncScheduler(runner, { tickMs: config.SYNC_TICK_MS, concurrency: config.SYNC_CONCURRENCY, log, onRun: metrics.recordRun });
  const poke = () => scheduler.poke();
  return {
    vault,
    scheduler,
    rewrap: startVaultRewrap({ db, vault, log, intervalMs: config.VAULT_REWRAP_INTERVAL_MS }),
    connections: createConnectionsService({ db, vault, oauth, enqueue, clock, log, poke, maxFeedsPerUser: config.MAX_FEEDS_PER_USER, allowPrivateFeeds: config.ICS_ALLOW_PRIVATE_NETWORKS }),
    connectFlow: createConnectFlow({ db, vault, oauth, clock, attemptTtlMs: config.CONNECT_ATTEMPT_TTL_MS, onConnected: poke }),
    manualTasks: createManualTasksService({ db, enqueue, clock, maxOpenTasks: config.MAX_MANUAL_TASKS_PER_USER }),
  };
}

/** What integrations's routes and handlers receive: the kit and its own parts. */
export type IntegrationsContext = IntegrationsKit & ReturnType<typeof setupIntegrations>;

/**
 * integrations, declared: `main.ts`, the test harness and the embedded start all run this. Every
 * subscription here must be declared in deploy/nats/consumers/integrations.json, and the other
 * way round, or the service refuses to start.
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
    { durable: 'integrations__export_requested', subject: 'exports.requested', handler: (trx, event, ctx) => answerExportRequest(trx, event.message, ctx, INTEGRATIONS_EXPORT) },
  ],
  stop: [
    { name: 'stop syncing', run: (ctx) => ctx.scheduler.stop() },
    { name: 'stop re-wrapping', run: (ctx) => ctx.rewrap.stop() },
  ],
});
