import type { Generated, Selectable } from '@oo/db';
import type { Provider } from '../connectors/connector';

export const CONNECTION_STATUSES = ['active', 'syncing', 'reauth_required', 'error', 'disconnected'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** One user's link to one source, with its sync state and lease. */
export interface ConnectionsTable {
  connection_id: string;
  user_id: string;
  provider: Provider;
  account_key: string;
  settings: Generated<Record<string, string>>;
  status: ConnectionStatus;
  cursor: string | null;
  complete_run: string | null;
  last_sync_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  failures: Generated<number>;
  item_count: Generated<number>;
  busy_count: Generated<number>;
  next_sync_at: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ConnectionRow = Selectable<ConnectionsTable>;

/** A connect flow between its start and the provider's callback. */
export interface OAuthAttemptsTable {
  state_hash: string;
  user_id: string;
  provider: Provider;
  sealed_verifier: Buffer | null;
  time_zone: string;
  expires_at: Date;
}
