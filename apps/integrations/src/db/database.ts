import type { ConnectionsTable, OAuthAttemptsTable } from '../features/connections/connections.table';
import type { BusyTimesTable, TasksTable } from '../features/tasks/tasks.table';
import type { ConnectionTokensTable, DataKeysTable } from '../features/vault/vault.table';

/** The `integrations` schema: everything integrations owns and nothing else (plus the outbox and inbox of @oo/events). */
export interface IntegrationsDatabase {
  data_keys: DataKeysTable;
  connections: ConnectionsTable;
  connection_tokens: ConnectionTokensTable;
  tasks: TasksTable;
  busy_times: BusyTimesTable;
  oauth_attempts: OAuthAttemptsTable;
}
