import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { dateTime } from '../ui/format';

const SERVICE_STATUS: Record<string, string> = { waiting: 'waiting', receiving: 'sending…', received: 'received' };

/** Export my data: starts an export, follows every service's part, then offers the download. */
export function ExportPanel() {
  const [exportId, setExportId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/me/export')),
    onSuccess: (started) => setExportId(started.exportId),
  });
  const progress = useQuery({
    queryKey: ['export', exportId],
    enabled: exportId !== null,
    queryFn: () => unwrap(api.GET('/v1/me/export/{id}', { params: { path: { id: exportId as string } } })),
    refetchInterval: (query) => (query.state.data?.status === 'collecting' ? 1_000 : false),
  });
  const shown = progress.data;
  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">Export my data</h2>
      <p>A zip of everything oO holds about you: one file per service and a README describing every field.</p>
      <button type="button" onClick={() => start.mutate()} disabled={start.isPending || shown?.status === 'collecting'}>Export my data</button>
      <ErrorNotice error={start.error ?? progress.error} what="The export" />
      {shown && (
        <div aria-live="polite">
          <p>
            <label htmlFor="export-progress">Parts received: {shown.partsReceived} of {shown.partsExpected}</label>{' '}
            <progress id="export-progress" max={shown.partsExpected} value={shown.partsReceived} />
          </p>
          <ul>
            {shown.services.map((s) => <li key={s.service}>{s.service}: {SERVICE_STATUS[s.status] ?? s.status}</li>)}
          </ul>
          {shown.status === 'ready' && shown.downloadUrl && (
            <p><a className="button primary" href={shown.downloadUrl} download>Download the archive</a> (until {dateTime(shown.expiresAt)})</p>
          )}
          {shown.status === 'failed' && <p role="alert" className="notice notice-error">The export failed: {shown.failure}. You can start a new one.</p>}
        </div>
      )}
    </section>
  );
}
