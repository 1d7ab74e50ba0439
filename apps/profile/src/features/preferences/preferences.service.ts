import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { PreferencesUpdatedSchema } from '@oo/contracts';
import { inTransaction, type Executor, type Kysely, type Transaction } from '@oo/db';
import type { ProfileDatabase } from '../../db/database';
import type { EnqueueEvent } from '../../events/outbox';
import type { Clock, ProfileFeaturesService } from '../profile-features/profile-features.service';
import { applyMergePatch } from './merge-patch';
import { findPreferences, lockUserPreferences, savePreferences } from './preferences.repository';

export const CHANNELS = ['in_app', 'push', 'email'] as const;
export const CADENCES = ['off', 'low', 'normal', 'high'] as const;

export interface Preferences {
  timezone: string;
  locale: string | null;
  quietHours: { start: string; end: string } | null;
  channels: (typeof CHANNELS)[number][];
  tipCadence: (typeof CADENCES)[number];
}

/** What a user who never saved preferences gets. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  timezone: 'UTC',
  locale: null,
  quietHours: null,
  channels: ['in_app' as const],
  tipCadence: 'normal' as const,
});

const SUBJECT = 'profile.preferences.updated';

export interface PreferencesDeps {
  db: Kysely<ProfileDatabase>;
  features: ProfileFeaturesService;
  enqueue: EnqueueEvent;
  clock: Clock;
}

/** A user's preferences with their last update time (null when never saved). */
export async function getPreferences(db: Executor<ProfileDatabase>, userId: string): Promise<Preferences & { updatedAt: Date | null }> {
  const stored = await findPreferences(db, userId);
  if (!stored || !stored.updatedAt) return { ...DEFAULT_PREFERENCES, timezone: stored?.timezone ?? 'UTC', locale: stored?.locale ?? null, updatedAt: null };
  return {
    timezone: stored.timezone,
    locale: stored.locale,
    quietHours: stored.quietHoursStart && stored.quietHoursEnd ? { start: stored.quietHoursStart, end: stored.quietHoursEnd } : null,
    channels: stored.channels as Preferences['channels'],
    tipCadence: stored.tipCadence as Preferences['tipCadence'],
    updatedAt: stored.updatedAt,
  };
}

/**
 * Saves a user's preferences and, in the same transaction, invalidates the features that depend
 * on them (the timezone moves `preferred_hour`) and queues `profile.preferences.updated`.
 */
export async function updatePreferences(deps: PreferencesDeps, userId: string, prefs: Preferences): Promise<Preferences & { updatedAt: Date }> {
  return inTransaction(deps.db, (trx) => writePreferences(trx, deps, userId, prefs));
}

/**
 * Applies an RFC 7396 merge patch to the user's preferences (the defaults when never saved) in
 * one transaction, under a per-user lock so two patches of different fields both land. `check`
 * validates the merged document (and throws the 400); only then is it saved like a PUT.
 *
 * @example
 * await patchPreferences(deps, 'ada', { timezone: 'Europe/Berlin' }, (doc) => validate(schema, doc, 'body'));
 */
export async function patchPreferences(
  deps: PreferencesDeps,
  userId: string,
  patch: Record<string, unknown>,
  check: (merged: unknown) => Preferences,
): Promise<Preferences & { updatedAt: Date }> {
  return inTransaction(deps.db, async (trx) => {
    await lockUserPreferences(trx, userId);
    const { updatedAt: _updatedAt, ...current } = await getPreferences(trx, userId);
    return writePreferences(trx, deps, userId, check(applyMergePatch(current, patch)));
  });
}

/**
 * Turns a channel off for a user who unsubscribed from a notification (`notify.unsubscribed`),
 * inside the consumer's transaction: saved and announced like any change, so every copy of the
 * preferences follows. A channel already off, or one turned on again since, changes nothing.
 *
 * @example
 * await removeChannel(trx, deps, 'ada', 'email', unsubscribedAt);
 */
export async function removeChannel(trx: Transaction<ProfileDatabase>, deps: Omit<PreferencesDeps, 'db'>, userId: string, channel: string, at: Date): Promise<void> {
  await lockUserPreferences(trx, userId);
  const { updatedAt, ...current } = await getPreferences(trx, userId);
  if (!current.channels.includes(channel as Preferences['channels'][number])) return;
  // The user saved their preferences after clicking the link: that later choice stands.
  if (updatedAt && updatedAt > at) return;
  await writePreferences(trx, deps, userId, { ...current, channels: current.channels.filter((c) => c !== channel) });
}

async function writePreferences(trx: Transaction<ProfileDatabase>, deps: Omit<PreferencesDeps, 'db'>, userId: string, prefs: Preferences): Promise<Preferences & { updatedAt: Date }> {
  const updatedAt = deps.clock();
  await savePreferences(trx, userId, {
    timezone: prefs.timezone,
    locale: prefs.locale,
    quietHoursStart: prefs.quietHours?.start ?? null,
    quietHoursEnd: prefs.quietHours?.end ?? null,
    channels: prefs.channels,
    tipCadence: prefs.tipCadence,
    updatedAt,
  });
  await deps.features.invalidate(trx, userId, SUBJECT);
  const event = create(PreferencesUpdatedSchema, {
    userId,
    timezone: prefs.timezone,
    locale: prefs.locale ?? '',
    quietHoursStart: prefs.quietHours?.start ?? '',
    quietHoursEnd: prefs.quietHours?.end ?? '',
    channels: prefs.channels,
    tipCadence: prefs.tipCadence,
    updatedAt: timestampFromDate(updatedAt),
  });
  await deps.enqueue(trx, SUBJECT, event, { userId });
  return { ...prefs, updatedAt };
}
