import type { ExportTable } from '@oo/events';

/**
 * What ml-serving contributes to a user's data export: every decision it scored for them with
 * the features and the reward it learned from, the rewards it learned, and the user's own part
 * of the model (statistics, base64). Descriptions come from the schema's comments (migration
 * 2026_12_03_120000_comment_exported_columns).
 */
export const ML_SERVING_EXPORT: readonly ExportTable[] = [
  {
    table: 'decisions',
    columns: ['decision_id', 'served_at', 'policy', 'model_version', 'fallback', 'propensity', 'feature_names', 'features', 'context', 'reaction', 'reacted_at', 'settled_at', 'outcome', 'reward'],
  },
  { table: 'learned_observations', columns: ['decision_id', 'layout_version', 'reward', 'outcome', 'learned_at'] },
  { table: 'model_snapshot_users', columns: ['layout_version', 'version', 'stats'] },
];
