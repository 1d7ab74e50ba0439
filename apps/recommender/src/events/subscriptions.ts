import { subjects, type Subject, type SubjectMessage } from '@oo/contracts';
import type { Kysely, Transaction } from '@oo/db';
import { startConsumer, type EventBus, type EventsMetrics, type RunningConsumer } from '@oo/events';
import type { Logger } from '@oo/logger';
import type { RecommenderDatabase } from '../db/database';
import type { Clock } from '../features/decisions/recommend.service';
import { projectPreferencesUpdated } from './consumers/preferences-updated.consumer';
import { projectTaskDeleted } from './consumers/task-deleted.consumer';
import { projectTaskUpserted } from './consumers/task-upserted.consumer';
import { userDeletionHandler } from './consumers/user-deletion.consumer';
import type { EnqueueEvent } from './outbox';

type Handler<S extends Subject> = (trx: Transaction<RecommenderDatabase>, message: SubjectMessage<S>, eventTime: Date | undefined) => Promise<void>;

interface Subscription<S extends Subject> {
  durable: string;
  subject: S;
  handler: (deps: SubscriptionDeps) => Handler<S>;
}

export interface SubscriptionDeps {
  bus: EventBus;
  db: Kysely<RecommenderDatabase>;
  log: Logger;
  metrics?: EventsMetrics;
  concurrency: number;
  clock: Clock;
  enqueue: EnqueueEvent;
}

// As declared in deploy/nats/consumers/recommender.json (one filter subject each).
const SUBSCRIPTIONS = [
  { durable: 'recommender__task_upserted', subject: 'signals.task.upserted', handler: () => projectTaskUpserted } satisfies Subscription<'signals.task.upserted'>,
  { durable: 'recommender__task_deleted', subject: 'signals.task.deleted', handler: () => projectTaskDeleted } satisfies Subscription<'signals.task.deleted'>,
  {
    durable: 'recommender__preferences_updated',
    subject: 'profile.preferences.updated',
    handler: () => projectPreferencesUpdated,
  } satisfies Subscription<'profile.preferences.updated'>,
  { durable: 'recommender__user_deletion', subject: 'users.deletion.requested', handler: userDeletionHandler } satisfies Subscription<'users.deletion.requested'>,
] as Subscription<Subject>[];

/** The durable consumers this service runs, for provisioning checks and tests. */
export const RECOMMENDER_DURABLES: readonly string[] = SUBSCRIPTIONS.map((s) => s.durable);

/** Starts one durable consumer per subscribed subject; each handler is idempotent through the inbox. */
export async function startSubscriptions(deps: SubscriptionDeps): Promise<RunningConsumer[]> {
  const started: RunningConsumer[] = [];
  try {
    for (const { durable, subject, handler } of SUBSCRIPTIONS) {
      const handle = handler(deps);
      started.push(
        await startConsumer({
          bus: deps.bus,
          db: deps.db,
          log: deps.log,
          metrics: deps.metrics,
          durable,
          subject,
          schema: subjects[subject],
          concurrency: deps.concurrency,
          handler: (trx, event) => handle(trx, event.message as SubjectMessage<Subject>, event.time),
        }),
      );
    }
  } catch (err) {
    await Promise.all(started.map((c) => c.stop()));
    throw err;
  }
  return started;
}
