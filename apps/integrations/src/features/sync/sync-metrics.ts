import { Counter, Histogram, type Registry } from 'prom-client';
import type { SyncRunResult } from './sync-runner';

/**
 * The sync's Prometheus series: runs by provider and outcome (a failure by its kind), and the
 * task changes they carried.
 *
 * @example
 * const metrics = createSyncMetrics(kit.registry);
 * scheduler = startSyncScheduler(deps, { ..., onRun: metrics.recordRun });
 */
export function createSyncMetrics(registry: Registry) {
  const runs = new Counter({
    name: 'oo_integrations_sync_runs_total',
    help: 'Sync runs by provider and outcome (synced, failed:<auth|rate_limited|unavailable|invalid>, lease_lost)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const changes = new Counter({
    name: 'oo_integrations_task_changes_total',
    help: 'Task upserts and deletions published by syncs',
    labelNames: ['provider', 'kind'] as const,
    registers: [registry],
  });
  const pages = new Histogram({
    name: 'oo_integrations_sync_pages',
    help: 'Pages committed per sync run',
    labelNames: ['provider'] as const,
    buckets: [0, 1, 2, 5, 10, 50],
    registers: [registry],
  });
  return {
    recordRun(result: SyncRunResult, provider: string): void {
      runs.inc({ provider, outcome: result.failure ? `failed:${result.failure}` : result.outcome });
      if (result.upserted) changes.inc({ provider, kind: 'upsert' }, result.upserted);
      if (result.deleted) changes.inc({ provider, kind: 'delete' }, result.deleted);
      pages.observe({ provider }, result.pages);
    },
  };
}
