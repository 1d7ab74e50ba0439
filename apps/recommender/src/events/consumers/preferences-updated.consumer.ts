import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import { isTimezone } from '@oo/decision-features';
import { PermanentEventError } from '@oo/events';
import type { RecommenderDatabase } from '../../db/database';
import { applyTimezone } from '../../features/candidates/timezones.repository';

/** Projects the timezone of `profile.preferences.updated`; the rest of the preferences is not ours to use. */
export async function projectPreferencesUpdated(
  trx: Executor<RecommenderDatabase>,
  preferences: SubjectMessage<'profile.preferences.updated'>,
  eventTime: Date | undefined,
): Promise<void> {
  const updatedAt = preferences.updatedAt ? timestampDate(preferences.updatedAt) : eventTime;
  if (!preferences.userId || !updatedAt) throw new PermanentEventError('preferences update lacks a user or a time');
  // Profile validates timezones, so an unknown one is a producer bug (or a runtime without that zone): dead-letter it visibly.
  if (!isTimezone(preferences.timezone)) throw new PermanentEventError(`unknown timezone "${preferences.timezone}"`);
  await applyTimezone(trx, preferences.userId, preferences.timezone, updatedAt);
}
