import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { components } from '@oo/api-client';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';

type Preferences = components['schemas']['Preferences'];
type Cadence = Preferences['tipCadence'];

const CADENCES: [Cadence, string][] = [
  ['off', 'Off: only when I open oO'],
  ['low', 'Low: about once a day'],
  ['normal', 'Normal: a few times a day'],
  ['high', 'High: whenever something fits'],
];

const detectedZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Time zone (detected, changeable), quiet hours and cadence, saved as one merge patch. */
export function PreferencesForm({ preferences }: { preferences: Preferences }) {
  const queries = useQueryClient();
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const [timezone, setTimezone] = useState(preferences.timezone);
  const [quiet, setQuiet] = useState(preferences.quietHours !== null);
  const [start, setStart] = useState(preferences.quietHours?.start ?? '22:00');
  const [end, setEnd] = useState(preferences.quietHours?.end ?? '07:00');
  const [cadence, setCadence] = useState<Cadence>(preferences.tipCadence);
  const ids = { zone: useId(), quiet: useId(), start: useId(), end: useId(), cadence: useId() };
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/v1/me/preferences', { body: { timezone, quietHours: quiet ? { start, end } : null, tipCadence: cadence } })),
    onSuccess: (saved) => queries.setQueryData(['preferences'], saved),
  });
  const detected = detectedZone();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="settings-form" aria-labelledby="prefs-title">
      <h2 id="prefs-title">When and how often</h2>
      <label htmlFor={ids.zone}>Time zone</label>
      <select id={ids.zone} value={timezone} onChange={(e) => setTimezone(e.target.value)}>
        {(zones.includes(timezone) ? zones : [timezone, ...zones]).map((z) => <option key={z} value={z}>{z}</option>)}
      </select>
      <p className="hint">
        This browser is in {detected}.{' '}
        {detected !== timezone && <button type="button" className="link" onClick={() => setTimezone(detected)}>Use {detected}</button>}
      </p>
      <div className="check">
        <input id={ids.quiet} type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} />
        <label htmlFor={ids.quiet}>Quiet hours (no notifications)</label>
      </div>
      {quiet && (
        <div className="row">
          <label htmlFor={ids.start}>From</label>
          <input id={ids.start} type="time" required value={start} onChange={(e) => setStart(e.target.value)} />
          <label htmlFor={ids.end}>Until</label>
          <input id={ids.end} type="time" required value={end} onChange={(e) => setEnd(e.target.value)} />
        </div>
      )}
      <label htmlFor={ids.cadence}>Tips by notification</label>
      <select id={ids.cadence} value={cadence} onChange={(e) => setCadence(e.target.value as Cadence)}>
        {CADENCES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
      </select>
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>Save</button>
      </div>
      {save.isSuccess && <p role="status">Saved. Your time zone is {save.data.timezone}.</p>}
      <ErrorNotice error={save.error} what="Saving your settings" />
    </form>
  );
}
