import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { ExportPartSchema, ExportRequestedSchema } from './gen/oo/exports/v1/exports_pb';
import { PolicyPromotedSchema } from './gen/oo/ml/v1/policies_pb';
import { ConnectionReauthRequiredSchema } from './gen/oo/integrations/v1/connections_pb';
import { ChannelUnsubscribedSchema, NotifyRequestedSchema } from './gen/oo/notify/v1/notify_pb';
import { ConsentChangedSchema, PreferencesUpdatedSchema } from './gen/oo/profile/v1/profile_pb';
import { BusyTimesSchema } from './gen/oo/signals/v1/calendar_pb';
import { NotificationDeliveredSchema, NotificationFailedSchema } from './gen/oo/signals/v1/notifications_pb';
import { TaskDeletedSchema, TaskUpsertedSchema } from './gen/oo/signals/v1/tasks_pb';
import { TipFeedbackSchema, TipServedSchema } from './gen/oo/signals/v1/tips_pb';
import {
  DeletionReceiptSchema,
  DeletionRequestedSchema,
  UserCreatedSchema,
  UserRevokedSchema,
} from './gen/oo/users/v1/users_pb';

/**
 * Every NATS subject we publish, and the protobuf message its payload holds. This map is the
 * one place that ties a subject to a schema: publishers, consumers and the profile feature
 * registry validate subjects against it, and docs/events.md describes the same table.
 *
 * @example
 * const bytes = toBinary(subjects['signals.tip.feedback'], feedback);
 */
export const subjects = {
  'signals.tip.served': TipServedSchema,
  'signals.tip.feedback': TipFeedbackSchema,
  'signals.task.upserted': TaskUpsertedSchema,
  'signals.task.deleted': TaskDeletedSchema,
  'signals.calendar.busy': BusyTimesSchema,
  'integrations.connection.reauth_required': ConnectionReauthRequiredSchema,
  'notify.requested': NotifyRequestedSchema,
  'notify.unsubscribed': ChannelUnsubscribedSchema,
  'signals.notification.delivered': NotificationDeliveredSchema,
  'signals.notification.failed': NotificationFailedSchema,
  'users.created': UserCreatedSchema,
  'users.deletion.requested': DeletionRequestedSchema,
  'users.deletion.receipt': DeletionReceiptSchema,
  'users.revoked': UserRevokedSchema,
  'profile.preferences.updated': PreferencesUpdatedSchema,
  'profile.consent.changed': ConsentChangedSchema,
  'exports.requested': ExportRequestedSchema,
  'exports.part': ExportPartSchema,
  'ml.policy.promoted': PolicyPromotedSchema,
} as const satisfies Record<string, DescMessage>;

/** A subject we publish, e.g. `'signals.tip.served'`. */
export type Subject = keyof typeof subjects;

/** The generated schema (descriptor) of a subject's payload. */
export type SubjectSchema<S extends Subject> = (typeof subjects)[S];

/**
 * The message type carried on a subject.
 *
 * @example
 * const served: SubjectMessage<'signals.tip.served'> = create(TipServedSchema, { decisionId });
 */
export type SubjectMessage<S extends Subject> = MessageShape<SubjectSchema<S>>;

/** Every subject, in declaration order. */
export const subjectNames: readonly Subject[] = Object.freeze(Object.keys(subjects) as Subject[]);

/**
 * Narrows a string (from config, a NATS message or a feature registry) to a known subject.
 *
 * @example
 * if (!isSubject(msg.subject)) throw new UnknownSubjectError(msg.subject);
 */
export function isSubject(s: string): s is Subject {
  return Object.prototype.hasOwnProperty.call(subjects, s);
}
