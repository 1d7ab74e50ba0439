import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { ageText, dateTime, durationText } from '../ui/format';
import { usePageTitle } from '../ui/page-title';
import { TableWrap } from '../ui/table-wrap';
import { UserDecisions } from './user-decisions';

/** Users: open a user by id. */
export function UserFinder() {
  usePageTitle('Users');
  const navigate = useNavigate();
  const [userId, setUserId] = useState('');
  const id = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/admin/users/${encodeURIComponent(userId.trim())}`);
  };
  return (
    <>
      <h1>Users</h1>
      <form onSubmit={onSubmit} className="inline-form">
        <label htmlFor={id}>User id</label>
        <input id={id} required value={userId} onChange={(e) => setUserId(e.target.value)} />
        <button type="submit" className="primary">Open</button>
      </form>
    </>
  );
}

/** One user: account, preferences and every profile feature, with a rebuild. */
export function UserScreen() {
  const { userId = '' } = useParams();
  usePageTitle(`User ${userId}`);
  const queries = useQueryClient();
  const key = ['admin-user', userId];
  const profile = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/v1/admin/users/{userId}/profile', { params: { path: { userId } } })) });
  const rebuild = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/admin/users/{userId}/features/rebuild', { params: { path: { userId } } })),
    onSuccess: (features) => queries.setQueryData(key, (old: typeof profile.data) => (old ? { ...old, features } : old)),
  });
  const p = profile.data;
  return (
    <>
      <h1>User {userId}</h1>
      {profile.isPending && <p role="status">Loading the user…</p>}
      <ErrorNotice error={profile.error} what="Loading the user" />
      {p && (
        <>
          <section aria-labelledby="account-title">
            <h2 id="account-title">Account</h2>
            <dl className="facts">
              <dt>Name</dt><dd>{p.user.displayName ?? '—'}</dd>
              <dt>Roles</dt><dd>{p.user.roles.join(', ') || 'none'}</dd>
              <dt>Since</dt><dd>{dateTime(p.user.createdAt)}</dd>
              <dt>Time zone</dt><dd>{p.preferences.timezone}</dd>
              <dt>Channels</dt><dd>{p.preferences.channels.join(', ')}</dd>
              <dt>Cadence</dt><dd>{p.preferences.tipCadence}</dd>
            </dl>
          </section>
          <section aria-labelledby="features-title">
            <h2 id="features-title">Profile features</h2>
            <button type="button" className="primary" disabled={rebuild.isPending} onClick={() => rebuild.mutate()}>Rebuild features</button>
            {rebuild.isSuccess && <p role="status">Rebuilt {rebuild.data.features.length} features.</p>}
            <ErrorNotice error={rebuild.error} what="Rebuilding" />
            <TableWrap label="Profile features">
              <table>
                <caption>Registry {p.features.registryVersion}</caption>
                <thead><tr><th scope="col">Feature</th><th scope="col">Value</th><th scope="col">Status</th><th scope="col">Age</th><th scope="col">TTL</th><th scope="col">Computed at</th></tr></thead>
                <tbody>
                  {p.features.features.map((f) => (
                    <tr key={f.name}><th scope="row">{f.name}</th><td>{String(f.value)}</td><td>{f.status}</td><td>{ageText(-f.ageSec)}</td><td>{durationText(f.ttlSec)}</td><td>{dateTime(f.computedAt)}</td></tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
          <UserDecisions userId={userId} />
        </>
      )}
    </>
  );
}
