import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ConnectionReauthRequiredSchema } from '@oo/contracts';
import type { Kysely } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import type { ChangePage, ConnectorError } from '../connectors/connector';
import type { ConnectionRow } from '../connections/connections.table';
import { replaceBusyTimes } from '../tasks/busy-times.repository';
import { applySourceChanges, countLiveTasks, deleteUnseen, type AppliedChanges } from '../tasks/source-tasks.repository';
import type { TaskEventSink } from '../tasks/task-events';
import { backoffDelayMs, withJitter } from './backoff';
import { holdLease } from './sync-lease.repository';

/** The timing rules of syncing, from configuration. */
export interface SyncTiming {
  intervalMs: number;
  jitter: number;
  leaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How far ahead calendar busy times are kept. */
  busyHorizonDays: number;
}

export interface OutcomeDeps {
  db: Kysely<IntegrationsDatabase>;
  enqueue: TaskEventSink;
  clock: () => Date;
  timing: SyncTiming;
  owner: string;
}

const after = (now: Date, ms: number) => new Date(now.getTime() + ms);

/** Refusals in a row after which a stored cursor is dropped. */
export const RESTART_AFTER_INVALID = 3;

/**
 * Commits one page in one transaction: its tasks and their outbox rows, the busy times, the
 * cursor and the lease; on the last page also the deletion of what a complete listing did not
 * list, and the connection's new status and next sync. A crash before the commit repeats the
 * page; after it, the next sync starts from the page's cursor. Undefined: the lease was lost,
 * nothing was written.
 */
export function commitPage(deps: OutcomeDeps, conn: ConnectionRow, page: ChangePage, last: boolean): Promise<AppliedChanges | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const held = await holdLease(trx, conn.connection_id, deps.owner, deps.timing.leaseMs);
    if (!held) return undefined;
    const now = deps.clock();
    const runId = page.complete ? (held.complete_run ?? crypto.randomUUID()) : null;
    const target = { connectionId: conn.connection_id, userId: conn.user_id, provider: conn.provider };
    const applied = await applySourceChanges(trx, deps.enqueue, target, page.changes, runId, now);
    let busyCount = held.busy_count;
    if (page.busy) {
      const window = { start: now, end: after(now, deps.timing.busyHorizonDays * 86_400_000) };
      busyCount = await replaceBusyTimes(trx, deps.enqueue, target, page.busy, window);
    }
    const finished = last || !page.more;
    if (finished && runId) applied.deleted += await deleteUnseen(trx, deps.enqueue, conn.connection_id, runId, now);
    await trx
      .updateTable('connections')
      .set({
        cursor: page.cursor,
        complete_run: finished ? null : runId,
        busy_count: busyCount,
        updated_at: now,
        ...(finished
          ? {
              status: 'active',
              failures: 0,
              last_error: null,
              last_success_at: now,
              item_count: await countLiveTasks(trx, conn.connection_id),
              // More pages left after the per-run cap: come back at once rather than after an interval.
              next_sync_at: page.more ? now : after(now, withJitter(deps.timing.intervalMs, deps.timing.jitter)),
              lease_owner: null,
              lease_until: null,
            }
          : {}),
      })
      .where('connection_id', '=', conn.connection_id)
      .execute();
    return applied;
  });
}

/**
 * Records a failed sync, keeping the cursor of the last committed page: a refused credential
 * stops syncing until the user connects again (and says so once, as an event); a rate limit
 * waits as long as the source asks; anything else backs off exponentially.
 */
export async function recordFailure(deps: OutcomeDeps, conn: ConnectionRow, error: ConnectorError): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const held = await holdLease(trx, conn.connection_id, deps.owner, deps.timing.leaseMs);
    if (!held) return;
    const now = deps.clock();
    const failures = held.failures + 1;
    const release = { lease_owner: null, lease_until: null, last_error: error.message, updated_at: now };
    if (error.failure === 'auth') {
      await trx.updateTable('connections').set({ ...release, status: 'reauth_required', next_sync_at: null, failures }).where('connection_id', '=', conn.connection_id).execute();
      const message = create(ConnectionReauthRequiredSchema, {
        userId: conn.user_id,
        connectionId: conn.connection_id,
        provider: conn.provider,
        reason: error.message,
        detectedAt: timestampFromDate(now),
      });
      await deps.enqueue(trx, 'integrations.connection.reauth_required', message, { userId: conn.user_id, time: now });
      return;
    }
    if (error.failure === 'rate_limited') {
      const waitMs = Math.max(1_000, error.retryAfterMs ?? deps.timing.backoffBaseMs);
      await trx.updateTable('connections').set({ ...release, status: 'active', next_sync_at: after(now, waitMs) }).where('connection_id', '=', conn.connection_id).execute();
      return;
    }
    // A source that answers nonsense will not mend in seconds: start its back-off further along.
    const steps = error.failure === 'invalid' ? failures + 4 : failures;
    const waitMs = backoffDelayMs(steps, { baseMs: deps.timing.backoffBaseMs, maxMs: deps.timing.backoffMaxMs, jitter: deps.timing.jitter });
    // A source that keeps refusing our cursor (expired, or from before a reset at its end) would
    // refuse it forever: start over from a full listing, which is always correct.
    const restart = error.failure === 'invalid' && failures >= RESTART_AFTER_INVALID && held.cursor !== null;
    await trx
      .updateTable('connections')
      .set({
        ...release,
        status: 'error',
        failures,
        next_sync_at: after(now, waitMs),
        ...(restart ? { cursor: null, complete_run: null, last_error: `${error.message}; the next sync starts over from a full listing` } : {}),
      })
      .where('connection_id', '=', conn.connection_id)
      .execute();
  });
}
