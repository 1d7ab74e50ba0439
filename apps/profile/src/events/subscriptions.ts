import { subjects, type Subject, type SubjectMessage } from '@oo/contracts';
import type { Kysely, Transaction } from '@oo/db';
import { startConsumer, type EventBus, type EventsMetrics, type RunningConsumer } from '@oo/events';
import type { Logger } from '@oo/logger';
import type { ProfileDatabase } from '../db/database';
import type { ProfileFeaturesService } from '../features/profile-features/profile-features.service';
import type { FeatureRegistry } from '../features/registry/feature-registry';
import { ProfileError } from '../errors';
import { projectTipFeedback } from './consumers/tip-feedback.consumer';
import { projectTipServed } from './consumers/tip-served.consumer';

type Projector<S extends Subject> = (trx: Transaction<ProfileDatabase>, message: SubjectMessage<S>) => Promise<string>;

// Subjects whose events also feed a projection; any other registry subject only invalidates.
const PROJECTORS: { [S in Subject]?: Projector<S> } = {
  'signals.tip.served': projectTipServed,
  'signals.tip.feedback': projectTipFeedback,
};

// Published by this service and handled inside the publishing transaction, never consumed back.
const OWN_SUBJECT_PREFIX = 'profile.';

/** `signals.tip.feedback` → `profile__tip_feedback`, as declared in deploy/nats/consumers/profile.json. */
export function durableFor(subject: string): string {
  return `profile__${subject.split('.').slice(1).join('_')}`;
}

export interface SubscriptionDeps {
  bus: EventBus;
  db: Kysely<ProfileDatabase>;
  log: Logger;
  metrics?: EventsMetrics;
  registry: FeatureRegistry;
  features: ProfileFeaturesService;
  concurrency: number;
}

/**
 * One durable consumer per unique subject in the registry: each event updates the projection and
 * deletes the user's affected features in the same transaction (idempotent through the inbox).
 */
export async function startSubscriptions(deps: SubscriptionDeps): Promise<RunningConsumer[]> {
  const started: RunningConsumer[] = [];
  for (const subject of deps.registry.subjects().filter((s) => !s.startsWith(OWN_SUBJECT_PREFIX))) {
    if (!(subject in subjects)) throw new ProfileError('PROFILE_UNKNOWN_SUBJECT', `no schema for subject ${subject}`);
    const typed = subject as Subject;
    const project = PROJECTORS[typed] as Projector<Subject> | undefined;
    started.push(
      await startConsumer({
        bus: deps.bus,
        db: deps.db,
        log: deps.log,
        metrics: deps.metrics,
        durable: durableFor(subject),
        subject,
        schema: subjects[typed],
        concurrency: deps.concurrency,
        handler: async (trx, event) => {
          const userId = project ? await project(trx, event.message as SubjectMessage<Subject>) : event.subject;
          if (userId) await deps.features.invalidate(trx, userId, subject);
        },
      }),
    );
  }
  return started;
}
