import type { ExportTable } from '@oo/events';

/**
 * What the recommender contributes to a user's data export: its copy of their tasks, the tips it
 * chose for them with everything it knew when choosing, their feedback and nudge settings. The
 * descriptions come from the schema's comments (migration 2026_12_03_120000_comment_exported_columns).
 */
export const RECOMMENDER_EXPORT: readonly ExportTable[] = [
  { table: 'tasks', columns: ['task_id', 'source', 'title', 'due_at', 'priority', 'created_at', 'completed_at', 'url', 'deleted'] },
  { table: 'user_timezones', columns: ['timezone', 'updated_at'] },
  {
    table: 'decisions',
    columns: ['decision_id', 'served_at', 'tip_id', 'tip_kind', 'tip_title', 'tip_body', 'task_id', 'policy', 'model_version', 'fallback', 'fallback_reason', 'chosen_index', 'propensity', 'feature_layout', 'candidates', 'probabilities', 'context', 'channel', 'delivery_status', 'delivery_channel'],
  },
  { table: 'tip_feedback', columns: ['decision_id', 'reaction', 'reacted_at', 'dwell_ms'] },
  { table: 'nudge_preferences', columns: ['channels', 'quiet_hours_start', 'quiet_hours_end', 'cadence', 'updated_at'] },
  { table: 'nudge_slots', columns: ['slot', 'decision_id', 'outcome', 'ran_at'] },
];
