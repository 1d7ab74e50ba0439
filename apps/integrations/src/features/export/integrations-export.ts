import type { ExportTable } from '@oo/events';

/** What stands in an export for a token in the vault: that it exists, never its ciphertext. */
export const TOKEN_HELD = 'connected, token held encrypted';

/**
 * What integrations contributes to a user's data export: connections, the tasks and busy times
 * read from them, and for each token only the fact that one is held (TOKEN_HELD). Left out: the
 * data keys, sign-in attempts in flight, sync cursors and leases, and a connection's settings (a
 * calendar feed's address is a secret link). Descriptions come from the schema's comments
 * (migration 2026_12_03_120000_comment_exported_columns).
 */
export const INTEGRATIONS_EXPORT: readonly ExportTable[] = [
  { table: 'connections', columns: ['connection_id', 'provider', 'account_key', 'status', 'last_sync_at', 'last_success_at', 'last_error', 'item_count', 'created_at'] },
  { table: 'connection_tokens', columns: ['connection_id', 'sealed', 'access_expires_at', 'updated_at'], masked: { sealed: TOKEN_HELD } },
  {
    table: 'tasks',
    columns: ['task_id', 'connection_id', 'source', 'external_id', 'title', 'priority', 'due_at', 'due_all_day', 'url', 'estimated_minutes', 'completed_at', 'deleted_at', 'created_at', 'updated_at'],
  },
  { table: 'busy_times', columns: ['connection_id', 'external_id', 'title', 'starts_at', 'ends_at'] },
];
