import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { percent } from '../ui/format';
import { usePageTitle } from '../ui/page-title';
import { TableWrap } from '../ui/table-wrap';

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** Data quality: per feature, the share of eligible users whose value is missing, stale or fresh. */
export function DataQualityScreen() {
  usePageTitle('Data quality');
  const quality = useQuery({ queryKey: ['data-quality'], queryFn: () => unwrap(api.GET('/v1/admin/data-quality', { params: { query: { limit: 100 } } })) });
  return (
    <>
      <h1>Data quality</h1>
      <ErrorNotice error={quality.error} what="Loading data quality" />
      {quality.data && (
        <TableWrap label="Data quality per feature">
          <table>
            <caption>Per feature across users (registry {quality.data.registryVersion})</caption>
            <thead><tr><th scope="col">Feature</th><th scope="col">Users</th><th scope="col">Missing</th><th scope="col">Stale</th><th scope="col">Fresh</th><th scope="col">Share</th></tr></thead>
            <tbody>
              {quality.data.features.map((f) => {
                const missing = share(f.missing, f.eligibleUsers);
                const stale = share(f.stale, f.eligibleUsers);
                const fresh = f.eligibleUsers > 0 ? 1 - missing - stale : 0;
                return (
                  <tr key={f.name}>
                    <th scope="row">{f.name}</th><td>{f.eligibleUsers}</td><td>{percent(missing)}</td><td>{percent(stale)}</td><td>{percent(fresh)}</td>
                    <td>
                      <span className="bar" role="img" aria-label={`${percent(fresh)} fresh, ${percent(stale)} stale, ${percent(missing)} missing`}>
                        <span className="bar-fresh" style={{ width: percent(fresh).replace(' ', '') }} />
                        <span className="bar-stale" style={{ width: percent(stale).replace(' ', '') }} />
                        <span className="bar-missing" style={{ width: percent(missing).replace(' ', '') }} />
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
