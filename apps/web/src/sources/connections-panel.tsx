import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { fromNow } from '../ui/format';

const STATUS_WORDS: Record<string, string> = {
  active: 'Connected',
  syncing: 'Syncing…',
  reauth_required: 'Needs you to sign in to it again',
  error: 'Failing',
  disconnected: 'Disconnected',
};

const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Sources: connect Todoist / Google Tasks (OAuth through the gateway), add a calendar feed, see and manage each connection. */
export function ConnectionsPanel() {
  const queries = useQueryClient();
  const providers = useQuery({ queryKey: ['providers'], queryFn: () => unwrap(api.GET('/v1/connections/providers')) });
  const connections = useQuery({ queryKey: ['connections'], queryFn: () => unwrap(api.GET('/v1/me/connections')) });
  const refresh = () => queries.invalidateQueries({ queryKey: ['connections'] });
  const connect = useMutation({
    mutationFn: (provider: 'todoist' | 'google_tasks') => unwrap(api.POST('/v1/me/connections/{provider}/connect', { params: { path: { provider } }, body: { timeZone: timeZone() } })),
    // The provider's consent page, which sends the browser back through the gateway's callback.
    onSuccess: (start) => window.location.assign(start.authorizationUrl),
  });
  const sync = useMutation({ mutationFn: (id: string) => unwrap(api.POST('/v1/me/connections/{id}/sync', { params: { path: { id } } })), onSettled: refresh });
  const disconnect = useMutation({ mutationFn: (id: string) => unwrap(api.DELETE('/v1/me/connections/{id}', { params: { path: { id } } })), onSettled: refresh });

  const oauth = (providers.data?.providers ?? []).filter((p) => p.connect === 'oauth');
  return (
    <section aria-labelledby="connections-title">
      <h2 id="connections-title">Connections</h2>
      <ErrorNotice error={providers.error ?? connections.error} what="Loading your sources" />
      <ErrorNotice error={connect.error ?? sync.error ?? disconnect.error} what="Changing a connection" />
      <div className="actions">
        {oauth.map((p) => (
          <button key={p.provider} type="button" disabled={!p.available || connect.isPending} onClick={() => connect.mutate(p.provider as 'todoist' | 'google_tasks')}>
            Connect {p.name}{p.available ? '' : ' (not set up on this server)'}
          </button>
        ))}
      </div>
      <FeedForm onAdded={refresh} />
      {connections.isSuccess && connections.data.connections.length === 0 && <p>No source connected yet.</p>}
      <ul className="cards" aria-label="Your connections">
        {connections.data?.connections.map((c) => (
          <li key={c.id} className={`card status-${c.status}`}>
            <h3 className="card-title">{c.label}</h3>
            <p><strong>{STATUS_WORDS[c.status] ?? c.status}</strong> · last sync {fromNow(c.lastSyncAt)} · {c.itemCount} open tasks{c.busyCount ? ` · ${c.busyCount} busy times` : ''}</p>
            {c.lastError && <p className="notice notice-error">{c.lastError}</p>}
            <div className="actions">
              {c.status === 'reauth_required' && (c.provider === 'todoist' || c.provider === 'google_tasks') && (
                <button type="button" className="primary" onClick={() => connect.mutate(c.provider as 'todoist' | 'google_tasks')}>Sign in to {c.provider === 'todoist' ? 'Todoist' : 'Google Tasks'} again</button>
              )}
              <button type="button" onClick={() => sync.mutate(c.id)}>Sync now</button>
              <button type="button" onClick={() => disconnect.mutate(c.id)}>Disconnect</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FeedForm({ onAdded }: { onAdded: () => void }) {
  const [url, setUrl] = useState('');
  const id = useId();
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/me/feeds', { body: { url, timeZone: timeZone() } })),
    onSuccess: () => {
      setUrl('');
      onAdded();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="inline-form">
      <label htmlFor={id}>Calendar address (iCal URL)</label>
      <input id={id} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/basic.ics" />
      <button type="submit" disabled={add.isPending}>Add calendar</button>
      <ErrorNotice error={add.error} what="Adding the calendar" />
    </form>
  );
}
