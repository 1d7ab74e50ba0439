import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { dateTime, fromNow } from '../ui/format';
import { usePageTitle } from '../ui/page-title';
import { TableWrap } from '../ui/table-wrap';

/** Events: how far behind each durable consumer is, and the dead letters with a replay each. */
export function EventsScreen() {
  usePageTitle('Events');
  const queries = useQueryClient();
  const consumers = useQuery({ queryKey: ['consumers'], queryFn: () => unwrap(api.GET('/v1/admin/events/consumers')), refetchInterval: 5_000 });
  const letters = useQuery({ queryKey: ['dead-letters'], queryFn: () => unwrap(api.GET('/v1/admin/events/dead-letters', { params: { query: { limit: 100 } } })) });
  const replay = useMutation({
    mutationFn: (sequence: number) => unwrap(api.POST('/v1/admin/events/dead-letters/{sequence}/replay', { params: { path: { sequence } } })),
    onSettled: () => queries.invalidateQueries({ queryKey: ['consumers'] }),
  });
  return (
    <>
      <h1>Events</h1>
      <section aria-labelledby="lag-title">
        <h2 id="lag-title">Consumer lag</h2>
        <ErrorNotice error={consumers.error} what="Loading the consumers" />
        {consumers.data && (
          <TableWrap label="Consumer lag">
            <table>
              <caption>Every durable consumer, most behind first (refreshed every 5 s)</caption>
              <thead><tr><th scope="col">Durable</th><th scope="col">Stream</th><th scope="col">Lag</th><th scope="col">Unacknowledged</th><th scope="col">Redelivered</th><th scope="col">Last delivery</th></tr></thead>
              <tbody>
                {consumers.data.consumers.map((c) => (
                  <tr key={`${c.stream}/${c.durable}`}><th scope="row">{c.durable}</th><td>{c.stream}</td><td>{c.pending}</td><td>{c.ackPending}</td><td>{c.redelivered}</td><td>{fromNow(c.lastDeliveredAt)}</td></tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <section aria-labelledby="dlq-title">
        <h2 id="dlq-title">Dead letters</h2>
        <ErrorNotice error={letters.error} what="Loading the dead letters" />
        <ErrorNotice error={replay.error} what="The replay" />
        {replay.isSuccess && <p role="status">Replayed dead letter {replay.data.sequence} to {replay.data.subject} (stored as {replay.data.stored.stream} #{replay.data.stored.seq}); only {replay.data.durable ?? 'the consumer that gave up'} handles it.</p>}
        {letters.data?.deadLetters.length === 0 && <p>No consumer has given up on an event.</p>}
        <ul className="cards" aria-label="Dead letters">
          {letters.data?.deadLetters.map((l) => (
            <li key={l.sequence} className="card">
              <h3 className="card-title">#{l.sequence} {l.subject ?? 'unknown subject'} → {l.durable ?? 'unknown consumer'}</h3>
              <p>{dateTime(l.time)} · <strong>{l.reason ?? 'no reason given'}</strong>{l.eventId ? ` · event ${l.eventId}` : ''}</p>
              {l.error && <p className="hint">{l.error}</p>}
              <button type="button" disabled={replay.isPending} onClick={() => replay.mutate(l.sequence)}>Replay #{l.sequence}</button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
