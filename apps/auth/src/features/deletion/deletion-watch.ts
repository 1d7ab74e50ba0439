import { Gauge, type Registry } from 'prom-client';
import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import { startPollLoop, type PollLoop } from '@oo/service';
import type { AuthDatabase } from '../../db/database';
import { countOpenDeletions } from './deletion.repository';

/**
 * Keeps `oo_auth_deletions_pending` and `oo_auth_deletions_overdue` current (once a minute): a
 * deletion past its deadline is what the `DeletionOverdue` alert rule watches for.
 *
 * @example
 * const watch = startDeletionWatch({ db, clock, log, registry }); // await watch.stop()
 */
export function startDeletionWatch(deps: { db: Kysely<AuthDatabase>; clock: () => Date; log: Logger; registry: Registry; intervalMs?: number }): PollLoop {
  const pending = new Gauge({ name: 'oo_auth_deletions_pending', help: 'Account deletions still waiting for a receipt from some service', registers: [deps.registry] });
  const overdue = new Gauge({ name: 'oo_auth_deletions_overdue', help: 'Account deletions past their deadline (DELETION_DEADLINE_DAYS) without every receipt', registers: [deps.registry] });
  return startPollLoop({
    what: 'count open account deletions',
    intervalMs: deps.intervalMs ?? 60_000,
    log: deps.log,
    pass: async () => {
      const open = await countOpenDeletions(deps.db, deps.clock());
      pending.set(open.pending);
      overdue.set(open.overdue);
      return false;
    },
  });
}
