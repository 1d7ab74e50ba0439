import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { dateTime } from '../ui/format';
import { TableWrap } from '../ui/table-wrap';

const p = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(3));

/** A user's recent decisions: every candidate with the live and shadow probabilities, the choice and the reward. */
export function UserDecisions({ userId }: { userId: string }) {
  const decisions = useQuery({ queryKey: ['admin-decisions', userId], queryFn: () => unwrap(api.GET('/v1/admin/users/{userId}/decisions', { params: { path: { userId }, query: { limit: 10 } } })) });
  return (
    <section aria-labelledby="decisions-title">
      <h2 id="decisions-title">Recent decisions</h2>
      <ErrorNotice error={decisions.error} what="Loading the decisions" />
      {decisions.data?.decisions.length === 0 && <p>No decisions yet.</p>}
      {decisions.data?.decisions.map((d) => {
        const shadowNames = [...new Set(d.candidates.flatMap((c) => Object.keys(c.shadows)))].sort();
        return (
          <article key={d.decisionId} className="card" aria-label={`Decision ${dateTime(d.servedAt)}`}>
            <h3 className="card-title">{d.tipTitle}</h3>
            <p>
              {dateTime(d.servedAt)} · {d.channel} · {d.policy} {d.modelVersion} (layout {d.layoutVersion}){d.fallback ? ` · fallback: ${d.fallbackReason ?? 'yes'}` : ''} ·
              {' '}reaction <strong>{d.reaction ?? 'none yet'}</strong> · reward <strong>{d.reward ?? 'not known yet'}</strong>
            </p>
            <TableWrap label={`Candidates of the decision ${d.decisionId}`}>
              <table>
                <thead>
                  <tr><th scope="col">Candidate</th><th scope="col">Kind</th><th scope="col">Live</th>{shadowNames.map((n) => <th key={n} scope="col">{n} (shadow)</th>)}<th scope="col">Chosen</th></tr>
                </thead>
                <tbody>
                  {d.candidates.map((c, i) => (
                    <tr key={c.id}>
                      <th scope="row">{c.id}</th><td>{c.kind}</td><td>{p(c.live)}</td>{shadowNames.map((n) => <td key={n}>{p(c.shadows[n])}</td>)}<td>{i === d.chosenIndex ? `yes (p ${p(d.propensity)})` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </article>
        );
      })}
    </section>
  );
}
