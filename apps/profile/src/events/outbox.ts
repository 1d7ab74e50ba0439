import type { Subject, SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import type { ProfileDatabase } from '../db/database';

/** Writes an event into the outbox inside the caller's transaction; the relay publishes it after commit. */
export type EnqueueEvent = <S extends Subject>(
  trx: Executor<ProfileDatabase>,
  subject: S,
  message: SubjectMessage<S>,
  userId: string,
) => Promise<void>;
