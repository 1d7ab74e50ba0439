import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { SESSION_KEY } from '../api/session';
import { ErrorNotice } from '../ui/error-notice';
import { ageText, dateTime } from '../ui/format';
import { usePageTitle } from '../ui/page-title';
import { TableWrap } from '../ui/table-wrap';
import { CONSENT_TEXTS } from './consent-texts';
import { DeletePanel, deletionPath } from './delete-panel';
import { ExportPanel } from './export-panel';

/** Privacy: my consents with their texts, what oO knows about me, export, delete. */
export function PrivacyScreen() {
  usePageTitle('Privacy');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const consents = useQuery({ queryKey: ['consents'], queryFn: () => unwrap(api.GET('/v1/me/consents')) });
  const features = useQuery({ queryKey: ['my-features'], queryFn: () => unwrap(api.GET('/v1/me/features')) });
  const onDeleted = (requestId: string) => {
    queries.setQueryData(SESSION_KEY, null);
    navigate(deletionPath(requestId));
  };
  return (
    <>
      <h1>Privacy</h1>
      <section aria-labelledby="consents-title">
        <h2 id="consents-title">Your consents</h2>
        <ErrorNotice error={consents.error} what="Loading your consents" />
        <ul className="cards">
          {CONSENT_TEXTS.map((text) => {
            const given = consents.data?.consents.find((c) => c.purpose === text.purpose);
            return (
              <li key={text.purpose} className="card">
                <h3 className="card-title">{text.title}</h3>
                <p>{given ? `${given.granted ? 'Given' : 'Withdrawn'} ${dateTime(given.changedAt)}, for version ${given.version} of this text:` : `Not given. Version ${text.version} of the text:`}</p>
                <blockquote>{text.text}</blockquote>
                {given && given.version !== text.version && <p className="hint">You agreed to version {given.version}; the text has changed since.</p>}
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="knows-title">
        <h2 id="knows-title">What oO knows about you</h2>
        <ErrorNotice error={features.error} what="Loading what oO knows" />
        {features.data && (
          <TableWrap label="Profile features">
            <table>
              <caption>Profile features (registry {features.data.registryVersion})</caption>
              <thead><tr><th scope="col">Feature</th><th scope="col">Value</th><th scope="col">Computed</th><th scope="col">Status</th></tr></thead>
              <tbody>
                {features.data.features.map((f) => (
                  <tr key={f.name}><th scope="row">{f.name}</th><td>{String(f.value)}</td><td>{ageText(-f.ageSec)}</td><td>{f.status}</td></tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <ExportPanel />
      <DeletePanel onDeleted={onDeleted} />
    </>
  );
}
