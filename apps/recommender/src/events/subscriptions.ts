import { subjects, type Subject, type SubjectMessage } from '@oo/contracts';
import type { Executor, Kysely } from '@oo/db';
import { startConsumer, type EventBus, type EventsMetrics, type RunningConsumer } from '@oo/events';
import type { Logger } from '@oo/logger';
import type { RecommenderDatabase } from '../db/database';
import { projectPreferencesUpdated } from './consumers/preferences-updated.consumer';
import { projectTaskDeleted } from './consumers/task-deleted.consumer';
import { projectTaskUpserted } from './consumers/task-upserted.consumer';

type Projector<S extends Subject> = (trx: Executor<RecommenderDatabase>, message: SubjectMessage<S>, eventTime: Date | undefined) => Promise<void>;

interface Subscription<S extends Subject> {
  durable: string;
  subject: S;
  project: Projector<S>;
}

// As declared in deploy/nats/consumers/recommender.json (one filter subject each).
const SUBSCRIPTIONS = [
  { durable: 'recommender__task_upserted', subject: 'signals.task.upserted', project: projectTaskUpserted } satisfies Subscription<'signals.task.upserted'>,
  { durable: 'recommender__task_deleted', subject: 'signals.task.deleted', project: projectTaskDeleted } satisfies Subscription<'signals.task.deleted'>,
  {
    durable: 'recommender__preferences_updated',
    subject: 'profile.preferences.updated',
    project: projectPreferencesUpdated,
  } satisfies Subscription<'profile.preferences.updated'>,
];

/** The durable consumers this service runs, for provisioning checks and tests. */
export const RECOMMENDER_DURABLES: readonly string[] = SUBSCRIPTIONS.map((s) => s.durable);

export interface SubscriptionDeps {
  bus: EventBus;
  db: Kysely<RecommenderDatabase>;
  log: Logger;
  metrics?: EventsMetrics;
  concurrency: number;
}

/** Starts one durable consumer per subscribed subject; each projection is idempotent through the inbox. */
export async function startSubscriptions(deps: SubscriptionDeps): Promise<RunningConsumer[]> {
  const started: RunningConsumer[] = [];
  for (const { durable, subject, project } of SUBSCRIPTIONS) {
    const projector = project as Projector<Subject>;
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
        handler: (trx, event) => projector(trx, event.message as SubjectMessage<Subject>, event.time),
      }),
    );
  }
  return started;
}
