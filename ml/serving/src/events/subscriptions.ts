import { subjects, type Subject, type SubjectMessage } from '@oo/contracts';
import type { Kysely, Transaction } from '@oo/db';
import { startConsumer, type EventBus, type EventsMetrics, type RunningConsumer } from '@oo/events';
import type { Logger } from '@oo/logger';
import type { MlDatabase } from '../db/database';
import type { Clock, RewardJoin } from '../features/reward-join/reward-join.service';
import { tipFeedbackHandler } from './consumers/tip-feedback.consumer';
import { tipServedHandler } from './consumers/tip-served.consumer';
import { userDeletionHandler } from './consumers/user-deletion.consumer';

export interface SubscriptionDeps {
  bus: EventBus;
  db: Kysely<MlDatabase>;
  log: Logger;
  metrics?: EventsMetrics;
  join: RewardJoin;
  clock: Clock;
  concurrency: number;
}

type Handler<S extends Subject> = (trx: Transaction<MlDatabase>, message: SubjectMessage<S>) => Promise<void>;

/**
 * The durable consumers of deploy/nats/consumers/ml-serving.json, one per subject. Each handler
 * runs in the transaction that records the event in the inbox, so a redelivery is a no-op.
 */
export async function startSubscriptions(deps: SubscriptionDeps): Promise<RunningConsumer[]> {
  const start = <S extends Subject>(durable: string, subject: S, handler: Handler<S>): Promise<RunningConsumer> =>
    startConsumer({
      bus: deps.bus,
      db: deps.db,
      log: deps.log,
      metrics: deps.metrics,
      durable,
      subject,
      schema: subjects[subject],
      concurrency: deps.concurrency,
      handler: (trx, event) => handler(trx, event.message as SubjectMessage<S>),
    });
  return Promise.all([
    start('ml-serving__tip_served', 'signals.tip.served', tipServedHandler(deps.join)),
    start('ml-serving__tip_feedback', 'signals.tip.feedback', tipFeedbackHandler(deps.join)),
    start('ml-serving__user_deletion', 'users.deletion.requested', userDeletionHandler(deps.clock)),
  ]);
}
