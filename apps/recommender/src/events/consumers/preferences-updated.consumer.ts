import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { SubjectMessage } from '@oo/contracts';
import type { Executor } from '@oo/db';
import { isTimezone } from '@oo/decision-features';
import { PermanentEventError } from '@oo/events';
import type { RecommenderDatabase } from '../../db/database';
import { applyTimezone } from '../../features/candidates/timezones.repository';
import { applyNudgePreferences } from '../../features/nudges/nudges.repository';

/**
 * Projects `profile.preferences.updated`: the timezone (a decision's local time) and what the
 * nudge scheduler needs (channels, quiet hours, cadence); the rest is not ours to use.
 */
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
  await applyNudgePreferences(trx, {
    userId: preferences.userId,
    channels: preferences.channels,
    quietHoursStart: preferences.quietHoursStart,
    quietHoursEnd: preferences.quietHoursEnd,
    cadence: preferences.tipCadence,
    updatedAt,
  });
}
