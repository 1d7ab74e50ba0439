import { useEffect } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorNotice } from '../ui/error-notice';
import { usePageTitle } from '../ui/page-title';
import { kindName, reasonFor } from './tip-words';
import { useCurrentTip, type Reaction, type ShownTip } from './use-current-tip';

const REACTIONS: { reaction: Reaction; label: string; key: string }[] = [
  { reaction: 'done', label: 'Done', key: 'd' },
  { reaction: 'snooze', label: 'Snooze', key: 's' },
  { reaction: 'dismiss', label: 'Dismiss', key: 'x' },
];

const typingIn = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Now: the one tip, why it was chosen, and the three reactions (buttons and D / S / X). */
export function NowScreen() {
  usePageTitle('Now');
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const decisionId = search.get('decision');
  const { tip, react, lookAgain } = useCurrentTip(decisionId);
  const shown = tip.data;

  const onReact = (target: ShownTip, reaction: Reaction) => {
    react.mutate({ shown: target, reaction }, { onSuccess: () => decisionId && navigate('/now', { replace: true }) });
  };

  useEffect(() => {
    if (!shown || shown.reaction || react.isPending) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const match = REACTIONS.find((r) => r.key === event.key.toLowerCase());
      if (!match) return;
      event.preventDefault();
      onReact(shown, match.reaction);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return (
    <section aria-labelledby="now-title">
      <h1 id="now-title">Now</h1>
      {tip.isPending && <p role="status">Finding the one next thing…</p>}
      <ErrorNotice error={tip.error} what="Getting your tip" />
      <ErrorNotice error={react.error} what="Sending your reaction" />
      {tip.isSuccess && !shown && (
        <div className="empty">
          <h2>Nothing to suggest right now</h2>
          <p>oO suggests from your tasks and calendars. <Link to="/sources">Add a task or connect a source</Link>, and a tip appears here.</p>
          <button type="button" onClick={() => void lookAgain()}>Look again</button>
        </div>
      )}
      {shown && (
        <article className="tip" aria-labelledby="tip-title" data-decision={shown.decisionId}>
          <p className="tip-kind">{kindName(shown.tip.kind)}</p>
          <h2 id="tip-title">{shown.tip.title}</h2>
          <p>{shown.tip.body}</p>
          <p className="tip-why"><strong>Why this:</strong> {reasonFor(shown.tip)}</p>
          {shown.reaction ? (
            <p role="status">You answered <strong>{shown.reaction}</strong>. <Link to="/now">See the next tip</Link></p>
          ) : (
            <div className="actions" role="group" aria-label="Your reaction">
              {REACTIONS.map(({ reaction, label, key }) => (
                <button key={reaction} type="button" className={reaction === 'done' ? 'primary' : ''} aria-keyshortcuts={key} disabled={react.isPending} onClick={() => onReact(shown, reaction)}>
                  {label} <kbd aria-hidden="true">{key.toUpperCase()}</kbd>
                </button>
              ))}
            </div>
          )}
        </article>
      )}
    </section>
  );
}
