import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ConsentChangedSchema } from '@oo/contracts';
import { inTransaction, type Kysely } from '@oo/db';
import type { ProfileDatabase } from '../../db/database';
import type { EnqueueEvent } from '../../events/outbox';
import type { Clock } from '../profile-features/profile-features.service';
import { appendConsentEvent, latestConsentEvents, type PurposeRange } from './consents.repository';

export interface ConsentChange {
  purpose: string;
  version: string;
  textHash: string;
  granted: boolean;
}

export interface ConsentState extends ConsentChange {
  changedAt: Date;
}

export interface ConsentsDeps {
  db: Kysely<ProfileDatabase>;
  enqueue: EnqueueEvent;
  clock: Clock;
}

/** The current state of each consent purpose the user has answered, in purpose order (a range of them when given). */
export async function listConsents(db: Kysely<ProfileDatabase>, userId: string, range: PurposeRange = {}): Promise<ConsentState[]> {
  const events = await latestConsentEvents(db, userId, range);
  return events.map((e) => ({ purpose: e.purpose, version: e.version, textHash: e.textHash, granted: e.action === 'granted', changedAt: e.at }));
}

/**
 * Records a grant or a withdrawal (both are one call, by design) and queues `profile.consent.changed`
 * in the same transaction.
 */
export async function changeConsent(deps: ConsentsDeps, userId: string, change: ConsentChange): Promise<ConsentState> {
  const changedAt = deps.clock();
  await inTransaction(deps.db, async (trx) => {
    await appendConsentEvent(trx, userId, { ...change, action: change.granted ? 'granted' : 'withdrawn', at: changedAt });
    const event = create(ConsentChangedSchema, { userId, ...change, changedAt: timestampFromDate(changedAt) });
    await deps.enqueue(trx, 'profile.consent.changed', event, { userId });
  });
  return { ...change, changedAt };
}
