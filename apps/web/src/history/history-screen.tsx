import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { kindName } from '../now/tip-words';
import { ErrorNotice } from '../ui/error-notice';
import { dateTime } from '../ui/format';
import { usePageTitle } from '../ui/page-title';

const FILTERS = [
  ['all', 'Every tip'],
  ['done', 'Done'],
  ['snooze', 'Snoozed'],
  ['dismiss', 'Dismissed'],
  ['none', 'No reaction yet'],
] as const;
type Filter = (typeof FILTERS)[number][0];

const REACTION_WORDS: Record<string, string> = { done: 'Done', snooze: 'Snoozed', dismiss: 'Dismissed' };
const CHANNEL_WORDS: Record<string, string> = { in_app: 'in the app', push: 'by push', email: 'by e-mail' };

/** History: recent tips with the reaction given, filtered by reaction and by words in the title. */
export function HistoryScreen() {
  usePageTitle('History');
  const [filter, setFilter] = useState<Filter>('all');
  const [words, setWords] = useState('');
  const filterId = useId();
  const searchId = useId();
  const history = useQuery({ queryKey: ['history'], queryFn: () => unwrap(api.GET('/v1/tips/history', { params: { query: { limit: 100 } } })) });
  const needle = words.trim().toLowerCase();
  const items = (history.data?.items ?? []).filter(
    (item) => (filter === 'all' || (filter === 'none' ? item.reaction === null : item.reaction === filter)) && (!needle || item.tip.title.toLowerCase().includes(needle)),
  );
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">History</h1>
      <div className="filters">
        <label htmlFor={filterId}>Show</label>
        <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
          {FILTERS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
        <label htmlFor={searchId}>Title contains</label>
        <input id={searchId} type="search" value={words} onChange={(e) => setWords(e.target.value)} />
      </div>
      {history.isPending && <p role="status">Loading your tips…</p>}
      <ErrorNotice error={history.error} what="Loading your history" />
      {history.isSuccess && items.length === 0 && <p className="empty">{history.data.items.length === 0 ? 'No tips yet: your first one is on Now.' : 'No tip matches this filter.'}</p>}
      <ul className="cards" aria-label="Tips">
        {items.map((item) => (
          <li key={item.decisionId} className="card">
            <p className="tip-kind">{kindName(item.tip.kind)} · {CHANNEL_WORDS[item.channel] ?? item.channel} · <time dateTime={item.servedAt}>{dateTime(item.servedAt)}</time></p>
            <h2 className="card-title">{item.tip.title}</h2>
            <p>{item.reaction ? <strong className={`reaction reaction-${item.reaction}`}>{REACTION_WORDS[item.reaction]}</strong> : 'No reaction yet'}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
