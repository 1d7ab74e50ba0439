import { randomUUID } from 'node:crypto';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { NotifierDatabase } from '../../db/database';
import { evaluateRules } from '../rules/delivery-rules';
import { readRuleInputs, type RuleWindows } from '../rules/rule-inputs.repository';
import { enqueueFailed, type NotifierEnqueue } from './delivery-events';

export interface IntakeDeps {
  enqueue: NotifierEnqueue;
  clock: () => Date;
  windows: RuleWindows;
  /** Wakes the dispatcher once the transaction has committed. */
  poke: () => void;
}

/**
 * Handles `notify.requested` in the inbox transaction: one delivery per decision (a redelivered
 * request finds its row and does nothing), the rules applied at once — dropped with its reason
 * and a `signals.notification.failed`, deferred to the end of quiet hours, or queued to send.
 *
 * @example
 * handler: (trx, event, ctx) => takeNotifyRequest(trx, event.message, ctx.intake)
 */
export async function takeNotifyRequest(trx: Transaction<NotifierDatabase>, request: SubjectMessage<'notify.requested'>, deps: IntakeDeps): Promise<void> {
  if (!request.decisionId || !request.userId || !request.notAfter) throw new PermanentEventError('notify.requested lacks a decision, a user or not_after');
  const now = deps.clock();
  const notAfter = timestampDate(request.notAfter);
  const deliveryId = randomUUID();
  const inserted = await trx
    .insertInto('deliveries')
    .values({
      delivery_id: deliveryId,
      decision_id: request.decisionId,
      user_id: request.userId,
      tip_id: request.tipId,
      title: request.title,
      body: request.body,
      channels: [...request.channels],
      status: 'pending',
      channel: null,
      reason: null,
      detail: null,
      not_after: notAfter,
      next_attempt_at: now,
      lease_until: null,
      requested_at: request.requestedAt ? timestampDate(request.requestedAt) : now,
      delivered_at: null,
    })
    .onConflict((oc) => oc.column('decision_id').doNothing())
    .returning(['delivery_id', 'decision_id', 'user_id'])
    .executeTakeFirst();
  if (!inserted) return;
  const inputs = await readRuleInputs(trx, { userId: request.userId, tipId: request.tipId, requested: request.channels, notAfter, excludeDeliveryId: deliveryId }, deps.windows, now);
  const decision = evaluateRules(inputs);
  if (decision.action === 'drop') {
    await trx.updateTable('deliveries').set({ status: 'dropped', reason: decision.reason, detail: decision.detail, next_attempt_at: null, updated_at: now }).where('delivery_id', '=', deliveryId).execute();
    await enqueueFailed(trx, deps.enqueue, inserted, { channel: null, reason: decision.reason, detail: decision.detail }, now);
    return;
  }
  if (decision.action === 'defer') {
    await trx.updateTable('deliveries').set({ status: 'deferred', reason: 'quiet_hours', detail: `deferred to ${decision.until.toISOString()}`, next_attempt_at: decision.until, updated_at: now }).where('delivery_id', '=', deliveryId).execute();
    return;
  }
  setTimeout(deps.poke, 5).unref();
}
