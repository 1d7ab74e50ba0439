import { subjects, type Subject, type SubjectMessage } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import type { ReceivedEvent } from '@oo/events';
import { answerExportRequest, type Subscription } from '@oo/service';
import type { ProfileDatabase } from '../db/database';
import { ProfileError } from '../errors';
import type { FeatureRegistry } from '../features/registry/feature-registry';
import type { ProfileContext } from '../service';
import type { ProjectedTip } from '../features/tip-projection/projected-tip';
import { lockUserFeatures } from '../features/profile-features/profile-features.repository';
import { projectTipFeedback } from './consumers/tip-feedback.consumer';
import { projectTipServed } from './consumers/tip-served.consumer';
import { channelUnsubscribedHandler } from './consumers/channel-unsubscribed.consumer';
import { PROFILE_EXPORT } from '../features/export/profile-export';
import { userDeletionHandler } from './consumers/user-deletion.consumer';

type Projector<S extends Subject> = (trx: Transaction<ProfileDatabase>, message: SubjectMessage<S>) => Promise<ProjectedTip>;
type ProfileSubscription = Subscription<typeof subjects, ProfileContext, ProfileDatabase>;

// Subjects whose events also feed a projection (and may be maintained); any other registry subject only invalidates.
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

const userDeletion: ProfileSubscription = {
  durable: 'profile__user_deletion',
  subject: 'users.deletion.requested',
  applyToErasedUsers: true,
  handler: (trx, event, ctx) => userDeletionHandler({ clock: ctx.clock, enqueue: ctx.enqueue })(trx, event.message),
};

const exportRequested: ProfileSubscription = {
  durable: 'profile__export_requested',
  subject: 'exports.requested',
  handler: (trx, event, ctx) => answerExportRequest(trx, event.message, ctx, PROFILE_EXPORT),
};

const channelUnsubscribed: ProfileSubscription = {
  durable: 'profile__channel_unsubscribed',
  subject: 'notify.unsubscribed',
  handler: (trx, event, ctx) => channelUnsubscribedHandler({ features: ctx.features, enqueue: ctx.enqueue, clock: ctx.clock })(trx, event.message, event.time),
};

/**
 * The profile's subscription table: erasure, the data export's part, a channel turned off from a notification, plus one durable consumer per unique subject in the
 * registry, whose events update the projection and delete the user's affected features in the
 * same transaction.
 */
export function profileSubscriptions(registry: FeatureRegistry): ProfileSubscription[] {
  const invalidating = registry.subjects().filter((s) => !s.startsWith(OWN_SUBJECT_PREFIX));
  return [
    userDeletion,
    exportRequested,
    channelUnsubscribed,
    ...invalidating.map((subject): ProfileSubscription => {
      if (!(subject in subjects)) throw new ProfileError('PROFILE_UNKNOWN_SUBJECT', `no schema for subject ${subject}`);
      const project = PROJECTORS[subject as Subject] as Projector<Subject> | undefined;
      if (!project && registry.maintainedBy(subject).length > 0) {
        throw new ProfileError('PROFILE_INVALID_REGISTRY', `features maintained by ${subject} need a projection of it`);
      }
      // Inside the inbox's transaction: a redelivery is a no-op, so nothing is folded twice.
      const handler = async (trx: Transaction<ProfileDatabase>, event: ReceivedEvent<SubjectMessage<Subject>>, ctx: ProfileContext) => {
        // A projection takes the user's feature lock itself, before it reads the change.
        if (!project && event.userId) await lockUserFeatures(trx, event.userId);
        const projected = project ? await project(trx, event.message) : event.userId ? { userId: event.userId, change: null } : null;
        if (projected) await ctx.features.applyEvent(trx, projected.userId, subject, projected.change);
      };
      // One row per subject the registry names; the subject is known only at run time here.
      return { durable: durableFor(subject), subject, handler } as ProfileSubscription;
    }),
  ];
}
