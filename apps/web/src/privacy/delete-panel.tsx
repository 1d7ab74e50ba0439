import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, signInUrl } from '../api/api-client';
import { ApiProblem, unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { dateTime } from '../ui/format';

/** Where the deletion's receipts are followed after the session is gone (the app's public page). */
export const deletionPath = (requestId: string) => `/deleted/${requestId}`;

/** Delete my account: asks to type a word first, then hands over to the receipts page. */
export function DeletePanel({ onDeleted }: { onDeleted: (requestId: string) => void }) {
  const [confirm, setConfirm] = useState('');
  const id = useId();
  const remove = useMutation({ mutationFn: () => unwrap(api.DELETE('/v1/me')), onSuccess: (accepted) => onDeleted(accepted.requestId) });
  const reauth = remove.error instanceof ApiProblem && remove.error.problem.code === 'GATEWAY_REAUTH_REQUIRED';
  return (
    <section aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p>Everything oO holds about you is erased by every service, and you are signed out everywhere. This cannot be undone.</p>
      <label htmlFor={id}>Type <strong>delete</strong> to confirm</label>
      <input id={id} value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
      <button type="button" className="danger" disabled={confirm.trim().toLowerCase() !== 'delete' || remove.isPending} onClick={() => remove.mutate()}>Delete my account</button>
      {reauth ? (
        <p role="alert" className="notice notice-error">For your safety, deleting needs a fresh sign-in. <a href={signInUrl('/privacy')}>Sign in again</a>, then delete.</p>
      ) : (
        <ErrorNotice error={remove.error} what="Deleting your account" />
      )}
    </section>
  );
}

/** The receipts of a deletion, by request id: public, because the person is signed out by then. */
export function DeletionReceipts({ requestId }: { requestId: string }) {
  const queries = useQueryClient();
  const deletion = useQuery({
    queryKey: ['deletion', requestId],
    queryFn: () => unwrap(api.GET('/v1/deletions/{requestId}', { params: { path: { requestId } } })),
    refetchInterval: (query) => (query.state.data?.status === 'completed' ? false : 1_000),
  });
  const d = deletion.data;
  const erased = d?.services.filter((s) => s.erasedAt).length ?? 0;
  return (
    <main id="main">
      <h1>Your account is being deleted</h1>
      <ErrorNotice error={deletion.error} what="Following the deletion" />
      {d && (
        <div aria-live="polite">
          <p>
            {d.status === 'completed' ? <strong>Deletion complete</strong> : d.status === 'overdue' ? <strong>Overdue: a service has not confirmed yet</strong> : 'In progress'} ·
            {' '}{erased} of {d.services.length} services have erased your data (due by {dateTime(d.dueAt)}).
          </p>
          <ul aria-label="Receipts">
            {d.services.map((s) => <li key={s.service}>{s.service}: {s.erasedAt ? `erased ${dateTime(s.erasedAt)}` : 'waiting'}</li>)}
          </ul>
          <p className="hint">Receipt digest {d.subjectDigest}: the SHA-256 of this request id and your user id.</p>
        </div>
      )}
      <p><a href="/" onClick={() => queries.clear()}>Back to the start</a></p>
    </main>
  );
}
