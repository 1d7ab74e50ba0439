import type { SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import { PermanentEventError } from '@oo/events';
import type { RecommenderDatabase } from '../../db/database';
import { recordDelivery } from '../../features/nudges/nudges.repository';

/** `signals.notification.delivered`: the nudge's decision reached the user on that channel. */
export async function projectNotificationDelivered(trx: Executor<RecommenderDatabase>, event: SubjectMessage<'signals.notification.delivered'>): Promise<void> {
  if (!event.decisionId) throw new PermanentEventError('delivery report lacks a decision id');
  await recordDelivery(trx, event.decisionId, { status: 'delivered', channel: event.channel || null, reason: null });
}

/** `signals.notification.failed`: the nudge's decision never reached the user, and why. */
export async function projectNotificationFailed(trx: Executor<RecommenderDatabase>, event: SubjectMessage<'signals.notification.failed'>): Promise<void> {
  if (!event.decisionId) throw new PermanentEventError('failure report lacks a decision id');
  await recordDelivery(trx, event.decisionId, { status: 'failed', channel: event.channel || null, reason: event.reason || 'unknown' });
}
