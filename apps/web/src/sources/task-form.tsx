import { useId, useState, type FormEvent } from 'react';

/** What the task form edits; the due time is the browser's local `datetime-local` text. */
export interface TaskDraft {
  title: string;
  priority: 1 | 2 | 3 | 4;
  dueLocal: string;
}

const PRIORITIES = [
  [1, 'Urgent'],
  [2, 'High'],
  [3, 'Medium'],
  [4, 'Normal'],
] as const;

/** A local `datetime-local` value as the API's ISO time (with offset), or null when empty. */
export function dueAtOf(dueLocal: string): string | null {
  return dueLocal ? new Date(dueLocal).toISOString() : null;
}

/** The API's ISO time as a `datetime-local` value in the browser's zone. */
export function dueLocalOf(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The form to add a task or edit one of your own. */
export function TaskForm({ initial, submitLabel, busy, onSubmit, onCancel }: { initial: TaskDraft; submitLabel: string; busy: boolean; onSubmit: (draft: TaskDraft) => void; onCancel?: () => void }) {
  const [draft, setDraft] = useState(initial);
  const ids = { title: useId(), priority: useId(), due: useId() };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  return (
    <form onSubmit={submit} className="task-form">
      <label htmlFor={ids.title}>Task</label>
      <input id={ids.title} required maxLength={500} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
      <label htmlFor={ids.priority}>Priority</label>
      <select id={ids.priority} value={draft.priority} onChange={(e) => setDraft({ ...draft, priority: Number(e.target.value) as TaskDraft['priority'] })}>
        {PRIORITIES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
      </select>
      <label htmlFor={ids.due}>Due (optional)</label>
      <input id={ids.due} type="datetime-local" value={draft.dueLocal} onChange={(e) => setDraft({ ...draft, dueLocal: e.target.value })} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{submitLabel}</button>
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
