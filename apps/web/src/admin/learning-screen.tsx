import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { IntervalChart } from '../ui/charts/interval-chart';
import { LineChart } from '../ui/charts/line-chart';
import { ErrorNotice } from '../ui/error-notice';
import { dateTime, percent } from '../ui/format';
import { usePageTitle } from '../ui/page-title';
import { TableWrap } from '../ui/table-wrap';

// A young system has few hours of decisions: runs of decisions show its learning sooner.
const WINDOWS = {
  'decisions:25': ['25 decisions', { windowDecisions: 25 }],
  'decisions:100': ['100 decisions', { windowDecisions: 100 }],
  'minutes:60': ['hour', { windowMinutes: 60 }],
  'minutes:1440': ['day', { windowMinutes: 1440 }],
} as const;
type WindowKey = keyof typeof WINDOWS;

// The day only when the curve spans more than one.
function timeLabel(x: number, first: number, last: number): string {
  const sameDay = new Date(first).toDateString() === new Date(last).toDateString();
  return new Date(x).toLocaleString([], sameDay ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric', hour: '2-digit' });
}

const ms = (value: number | null) => (value === null ? '—' : `≤ ${value < 1 ? value.toFixed(1) : Math.round(value)} ms`);

/** Learning: reward per window, off-policy estimates of every policy, the models, fallback share and latency. */
export function LearningScreen() {
  usePageTitle('Learning');
  const [windowKey, setWindowKey] = useState<WindowKey>('decisions:25');
  const windowId = useId();
  const report = useQuery({ queryKey: ['learning', windowKey], queryFn: () => unwrap(api.GET('/v1/admin/learning', { params: { query: WINDOWS[windowKey][1] } })) });
  const r = report.data;
  const curve = (r?.curve ?? []).filter((p) => p.meanReward !== null).map((p) => ({ x: Date.parse(p.windowStart), y: p.meanReward as number }));
  const estimates = (r?.policies ?? []).filter((p) => p.snips).map((p) => ({ label: p.label, value: p.snips?.value ?? 0, lower: p.snips?.lower ?? 0, upper: p.snips?.upper ?? 0 }));
  return (
    <>
      <h1>Learning</h1>
      <div className="filters">
        <label htmlFor={windowId}>Reward per</label>
        <select id={windowId} value={windowKey} onChange={(e) => setWindowKey(e.target.value as WindowKey)}>
          {Object.entries(WINDOWS).map(([key, [label]]) => <option key={key} value={key}>{label}</option>)}
        </select>
      </div>
      {report.isPending && <p role="status">Reading the decision log…</p>}
      <ErrorNotice error={report.error} what="Loading the learning report" />
      {r && (
        <>
          <ul className="stats" aria-label="Summary">
            <li>Decisions<strong>{r.decisions}</strong></li>
            <li>Fallback share<strong>{r.fallbackShare === null ? '—' : percent(r.fallbackShare)}</strong></li>
            <li>Decision latency p50<strong>{ms(r.latency.p50Ms)}</strong></li>
            <li>p95<strong>{ms(r.latency.p95Ms)}</strong></li>
            <li>p99<strong>{ms(r.latency.p99Ms)}</strong></li>
          </ul>
          <section aria-labelledby="curve-title">
            <h2 id="curve-title">Learning curve</h2>
            {curve.length === 0 ? (
              <p>No decision has a known reward yet (a reaction, or silence for a whole reward window).</p>
            ) : (
              <LineChart title="Mean reward per window" summary={`${curve.length} windows, from ${curve[0]?.y.toFixed(2)} to ${curve.at(-1)?.y.toFixed(2)}`} points={curve} xLabel={(x) => timeLabel(x, curve[0]?.x ?? x, curve.at(-1)?.x ?? x)} />
            )}
          </section>
          <section aria-labelledby="ope-title">
            <h2 id="ope-title">Off-policy estimates</h2>
            <p className="hint">Estimated reward per decision (SNIPS, 95 % bootstrap interval) of each policy, from the settled decisions the live policy made.</p>
            {estimates.length > 0 && <IntervalChart title="Estimated reward per policy" rows={estimates} />}
            <TableWrap label="Off-policy estimates">
              <table>
                <caption>Every estimator, per policy</caption>
                <thead><tr><th scope="col">Policy</th><th scope="col">Decisions</th><th scope="col">Logged mean</th><th scope="col">SNIPS</th><th scope="col">IPS</th><th scope="col">DR</th><th scope="col">Effective n</th></tr></thead>
                <tbody>
                  {r.policies.map((p) => (
                    <tr key={p.label}>
                      <th scope="row">{p.label}</th><td>{p.n}</td><td>{p.loggedMean?.toFixed(3) ?? '—'}</td>
                      {[p.snips, p.ips, p.dr].map((e, i) => <td key={i}>{e ? `${e.value.toFixed(3)} [${e.lower.toFixed(3)}, ${e.upper.toFixed(3)}]` : '—'}</td>)}
                      <td>{p.effectiveSampleSize?.toFixed(1) ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
          <section aria-labelledby="models-title">
            <h2 id="models-title">Models</h2>
            <TableWrap label="Models">
              <table>
                <caption>Per policy and feature layout: the newest model version that decided, and how many versions did (each update is one)</caption>
                <thead><tr><th scope="col">Policy</th><th scope="col">Layout</th><th scope="col">Newest model version</th><th scope="col">Versions</th><th scope="col">Decisions</th><th scope="col">Last served</th></tr></thead>
                <tbody>
                  {r.models.map((m) => <tr key={`${m.policy}${m.layoutVersion}`}><th scope="row">{m.policy}</th><td>{m.layoutVersion}</td><td>{m.modelVersion}</td><td>{m.modelVersions}</td><td>{m.decisions}</td><td>{dateTime(m.lastServedAt)}</td></tr>)}
                </tbody>
              </table>
            </TableWrap>
          </section>
        </>
      )}
    </>
  );
}
