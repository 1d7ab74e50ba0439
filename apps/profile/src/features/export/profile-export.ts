import type { ExportTable } from '@oo/events';

/**
 * What the profile contributes to a user's data export: every table with their rows, the columns
 * named one by one (descriptions come from the schema's comments, migration
 * 2026_12_03_120000_comment_exported_columns).
 */
export const PROFILE_EXPORT: readonly ExportTable[] = [
  { table: 'profiles', columns: ['display_name', 'timezone', 'locale', 'created_at', 'updated_at'] },
  { table: 'preferences', columns: ['quiet_hours_start', 'quiet_hours_end', 'channels', 'tip_cadence', 'updated_at'] },
  { table: 'consent_events', columns: ['purpose', 'version', 'text_hash', 'action', 'at'] },
  { table: 'tip_served', columns: ['decision_id', 'tip_id', 'tip_kind', 'served_at'] },
  { table: 'tip_feedback', columns: ['decision_id', 'tip_id', 'reaction', 'reacted_at', 'dwell_ms'] },
  { table: 'user_profile_features', columns: ['name', 'value', 'value_text', 'is_fallback', 'computed_at', 'numerator', 'denominator'] },
];
