import { sql } from '@oo/db';
import type { Logger } from '@oo/logger';
import { startPollLoop, type PollLoop } from '@oo/service';
import type { DeliveriesTable } from '../../db/database';
import type { DeliveryOutcome } from '../channels/channel';
import { enqueueDelivered, enqueueFailed, type NotifierEnqueue } from '../deliveries/delivery-events';
import { evaluateRules, type Channel } from '../rules/delivery-rules';
import { readRuleInputs, type RuleWindows } from '../rules/rule-inputs.repository';
import { attemptChannel, type AttemptDeps } from './channel-attempt';

export interface DispatcherDeps extends AttemptDeps {
  enqueue: NotifierEnqueue;
  clock: () => Date;
  log: Logger;
  windows: RuleWindows;
  tickMs: number;
  leaseMs: number;
  batch: number;
  retryBaseMs: number;
  /** Called after each delivery is settled, for metrics. */
  onSettled?: (status: 'delivered' | 'failed' | 'dropped' | 'retry', channel: string | null, delayMs: number) => void;
}

type Due = DeliveriesTable & { attempts: number };

/**
 * Sends due deliveries, up to `batch` at once: leases them (`for update skip locked`, so instances
 * never send one twice at once), runs the rules again (a consent withdrawn since the request
 * stops it), tries the channels in order and records the outcome with its event in one
 * transaction. A transient failure is tried again with back-off while `not_after` allows.
 *
 * @example
 * const dispatcher = startDeliveryDispatcher(deps); // dispatcher.poke() after a new request; await dispatcher.stop()
 */
export function startDeliveryDispatcher(deps: DispatcherDeps) {
  // Up to `batch` deliveries are settled at once, each freeing its slot when done: a slow mail
  // server holds up its own deliveries, not the pushes leased with them.
  const settling = new Set<Promise<void>>();
  // Refilled by halves (a lease per freed slot would be a query per delivery). `backlog`: the
  // last lease took all the room there was, so more may be due once half is free again.
  const refillAt = Math.ceil(deps.batch / 2);
  let backlog = false;

  const loop: PollLoop = startPollLoop({
    what: 'look for due deliveries',
    intervalMs: deps.tickMs,
    log: deps.log,
    pass: async () => {
      const room = deps.batch - settling.size;
      backlog = room < refillAt;
      if (backlog) return false;
      // Due by the service's clock (the one the rules and deferrals use); leases by the database's.
      const { rows } = await sql<Due>`
        update deliveries set lease_until = now() + ${deps.leaseMs} * interval '1 millisecond'
        where delivery_id in (
          select delivery_id from deliveries
          where status in ('pending', 'deferred') and next_attempt_at <= ${deps.clock()} and (lease_until is null or lease_until < now())
          order by next_attempt_at limit ${room} for update skip locked)
        returning *`.execute(deps.db);
      backlog = rows.length === room;
      for (const d of rows) {
        const done: Promise<void> = settle(d)
          .catch((err: unknown) => deps.log.error({ err, deliveryId: d.delivery_id }, 'a delivery could not be settled; its lease runs out and it is tried again'))
          .finally(() => {
            settling.delete(done);
            if (backlog && deps.batch - settling.size >= refillAt) loop.poke();
          });
        settling.add(done);
      }
      return false;
    },
  });

  async function settle(d: Due): Promise<void> {
    const now = deps.clock();
    const inputs = await readRuleInputs(deps.db, { userId: d.user_id, tipId: d.tip_id, requested: d.channels, notAfter: d.not_after, excludeDeliveryId: d.delivery_id }, deps.windows, now);
    const decision = evaluateRules(inputs);
    if (decision.action === 'drop') return record(d, { status: 'dropped', channel: null, reason: decision.reason, detail: decision.detail }, now);
    if (decision.action === 'defer') {
      await deps.db.updateTable('deliveries').set({ status: 'deferred', next_attempt_at: decision.until, lease_until: null, updated_at: now }).where('delivery_id', '=', d.delivery_id).execute();
      return;
    }
    let last: { channel: Channel; outcome: DeliveryOutcome } | undefined;
    let retryAfterMs: number | undefined;
    for (const channel of decision.channels) {
      const outcome = await attemptChannel(deps, channel, d, now);
      last = { channel, outcome };
      // Stamped when the push service or mail server accepted it, not when the attempt began.
      if (outcome.kind === 'delivered') return record(d, { status: 'delivered', channel, reason: null, detail: null }, deps.clock());
      if (outcome.kind === 'retry') retryAfterMs = Math.max(retryAfterMs ?? 0, outcome.retryAfterMs ?? 0);
    }
    const detail = last ? `${last.channel}: ${last.outcome.kind === 'delivered' ? '' : last.outcome.detail}` : 'no channel';
    if (retryAfterMs !== undefined) {
      const waitMs = Math.max(retryAfterMs, deps.retryBaseMs * 2 ** Math.min(d.attempts, 10));
      const next = new Date(now.getTime() + waitMs);
      if (next < d.not_after) {
        await deps.db.updateTable('deliveries').set({ attempts: d.attempts + 1, next_attempt_at: next, lease_until: null, detail, updated_at: now }).where('delivery_id', '=', d.delivery_id).execute();
        deps.onSettled?.('retry', last?.channel ?? null, 0);
        return;
      }
      return record(d, { status: 'failed', channel: last?.channel ?? null, reason: 'stale', detail: `${detail}; no time left before not_after` }, now);
    }
    return record(d, { status: 'failed', channel: last?.channel ?? null, reason: 'refused', detail }, now);
  }

  async function record(d: Due, result: { status: 'delivered' | 'failed' | 'dropped'; channel: string | null; reason: string | null; detail: string | null }, now: Date): Promise<void> {
    const attempts = d.attempts + (result.status === 'dropped' ? 0 : 1);
    await deps.db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('deliveries')
        .set({ ...result, attempts, next_attempt_at: null, lease_until: null, delivered_at: result.status === 'delivered' ? now : null, updated_at: now })
        .where('delivery_id', '=', d.delivery_id)
        .where('status', 'in', ['pending', 'deferred'])
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return;
      if (result.status === 'delivered') await enqueueDelivered(trx, deps.enqueue, d, result.channel ?? '', attempts, now);
      else await enqueueFailed(trx, deps.enqueue, d, { channel: result.channel, reason: result.reason ?? 'refused', detail: result.detail ?? '' }, now);
    });
    deps.onSettled?.(result.status, result.channel, now.getTime() - d.requested_at.getTime());
  }

  return {
    poke: () => loop.poke(),
    async stop() {
      await loop.stop();
      await Promise.all(settling);
    },
  };
}

export type DeliveryDispatcher = ReturnType<typeof startDeliveryDispatcher>;
