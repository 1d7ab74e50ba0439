import { subjects, type Subject, type SubjectMessage } from '@oo/contracts';
import type { Transaction } from '@oo/db';
import { createEventCodec, enqueueEvent } from '@oo/events';
import type { RecommenderDatabase } from '../db/database';

/** Writes an event into the outbox inside the caller's transaction; the relay publishes it after commit. */
export type EnqueueEvent = <S extends Subject>(
  trx: Transaction<RecommenderDatabase>,
  subject: S,
  message: SubjectMessage<S>,
  options: { userId: string; traceparent?: string; time?: Date; sequenced?: boolean },
) => Promise<void>;

/** The recommender's events, encoded as CloudEvents from `/services/recommender`. */
export const recommenderEvents = createEventCodec(subjects, { source: 'recommender' });

/**
 * The outbox writer the recommender's use cases call.
 *
 * @example
 * await enqueueRecommenderEvent(trx, 'signals.tip.served', served, { userId, traceparent });
 */
export const enqueueRecommenderEvent: EnqueueEvent = async (trx, subject, message, options) => {
  await enqueueEvent(trx, recommenderEvents, subject, message, options);
};
