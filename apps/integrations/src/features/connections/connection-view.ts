import type { Provider } from '../connectors/connector';
import type { ConnectionRow, ConnectionStatus } from './connections.table';

/** A connection as the API shows it: state a person can act on, never a credential. */
export interface ConnectionView {
  id: string;
  provider: Provider;
  status: ConnectionStatus;
  /** For a calendar feed: its host and the start of its path (feed URLs often carry a secret). */
  label: string;
  lastSyncAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  itemCount: number;
  busyCount: number;
  nextSyncAt: string | null;
  createdAt: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const LABELS: Record<Provider, string> = { todoist: 'Todoist', google_tasks: 'Google Tasks', ics: 'Calendar feed' };

function feedLabel(raw: string | undefined): string {
  if (!raw) return LABELS.ics;
  const url = new URL(raw);
  const path = url.pathname.length > 12 ? `${url.pathname.slice(0, 12)}…` : url.pathname;
  return `${url.host}${path}`;
}

/** The API's view of a connection row. */
export function connectionView(row: ConnectionRow): ConnectionView {
  const settings = row.settings as Record<string, string>;
  return {
    id: row.connection_id,
    provider: row.provider,
    status: row.status,
    label: row.provider === 'ics' ? feedLabel(settings['url']) : LABELS[row.provider],
    lastSyncAt: iso(row.last_sync_at),
    lastSuccessAt: iso(row.last_success_at),
    lastError: row.last_error,
    itemCount: row.item_count,
    busyCount: row.busy_count,
    nextSyncAt: iso(row.next_sync_at),
    createdAt: row.created_at.toISOString(),
  };
}

/** The display name of a provider. */
export const providerLabel = (provider: Provider) => LABELS[provider];
