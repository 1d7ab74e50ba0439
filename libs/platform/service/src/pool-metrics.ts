import { poolStats, type Kysely } from '@oo/db';
import { Gauge, type Registry } from 'prom-client';

/**
 * Exports the service's database pools as `oo_db_pool_connections{pool, state}` (state: total,
 * idle, waiting, max), read at each scrape: a `waiting` above zero means requests queue for a
 * connection, and past the wait they are answered 503.
 *
 * @example
 * registerPoolMetrics(registry, { http: db, consumers: consumerDb });
 */
export function registerPoolMetrics(registry: Registry, pools: Readonly<Record<string, Kysely<unknown>>>): void {
  new Gauge({
    name: 'oo_db_pool_connections',
    help: 'Database pool connections by pool (http, consumers) and state (total, idle, waiting, max)',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      for (const [pool, db] of Object.entries(pools)) {
        const stats = poolStats(db);
        if (!stats) continue;
        for (const [state, value] of Object.entries(stats)) this.set({ pool, state }, value);
      }
    },
  });
}
