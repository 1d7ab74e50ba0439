import type { ProfileDatabase } from '../../db/database';

/**
 * Which subjects' events write each table of the schema: the inputs a feature reads must be
 * covered by its declared subjects (`test/feature-dependencies.int-spec.ts` checks every
 * feature's `compute` against this). Typed over every table, so a new one cannot go unclassified;
 * an empty list marks a table no feature may read (it is not kept current by any event).
 */
export const TABLE_SOURCES: Readonly<Record<keyof ProfileDatabase, readonly string[]>> = {
  tip_served: ['signals.tip.served'],
  tip_feedback: ['signals.tip.feedback'],
  // The timezone changes only with the preferences (the consumers' ensureProfile inserts the default).
  profiles: ['profile.preferences.updated'],
  preferences: ['profile.preferences.updated'],
  consent_events: ['profile.consent.changed'],
  // The feature cache itself: a feature reading it would depend on other features' cached values.
  user_profile_features: [],
};
