import { subjects, type Subject, type SubjectMessage } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { createEventCodec, enqueueEvent } from '@oo/events';
import type { ProfileDatabase } from '../db/database';

/** Writes an event into the outbox inside the caller's transaction; the relay publishes it after commit. */
export type EnqueueEvent = <S extends Subject>(
  trx: Transaction<ProfileDatabase>,
  subject: S,
  message: SubjectMessage<S>,
  userId: string,
) => Promise<void>;

/** The profile's events, encoded as CloudEvents from `/services/profile`. */
export const profileEvents = createEventCodec(subjects, { source: 'profile' });

/**
 * The outbox writer the profile's use cases call.
 *
 * @example
 * await enqueueProfileEvent(trx, 'profile.consent.changed', event, userId);
 */
export const enqueueProfileEvent: EnqueueEvent = async (trx, subject, message, userId) => {
  await enqueueEvent(trx, profileEvents, subject, message, { userId });
};
