import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { NotificationDeliveredSchema, NotificationFailedSchema, type subjects } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import type { Enqueue } from '@oo/service';
import type { NotifierDatabase } from '../../db/database';

export type NotifierEnqueue = Enqueue<typeof subjects>;
type Delivery = { delivery_id: string; decision_id: string; user_id: string };

/** Records in the outbox that a notification was accepted by a push service or mail server. */
export function enqueueDelivered(trx: Transaction<NotifierDatabase>, enqueue: NotifierEnqueue, d: Delivery, channel: string, attempts: number, at: Date) {
  const message = create(NotificationDeliveredSchema, { deliveryId: d.delivery_id, decisionId: d.decision_id, userId: d.user_id, channel, attempts, deliveredAt: timestampFromDate(at) });
  return enqueue(trx, 'signals.notification.delivered', message, { userId: d.user_id, time: at });
}

/** Records in the outbox that a notification was not delivered, and why. */
export function enqueueFailed(trx: Transaction<NotifierDatabase>, enqueue: NotifierEnqueue, d: Delivery, failure: { channel: string | null; reason: string; detail: string }, at: Date) {
  const message = create(NotificationFailedSchema, {
    deliveryId: d.delivery_id,
    decisionId: d.decision_id,
    userId: d.user_id,
    channel: failure.channel ?? '',
    reason: failure.reason,
    detail: failure.detail,
    failedAt: timestampFromDate(at),
  });
  return enqueue(trx, 'signals.notification.failed', message, { userId: d.user_id, time: at });
}
