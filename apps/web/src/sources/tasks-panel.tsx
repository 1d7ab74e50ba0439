import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { components } from '@oo/api-client';
import { api } from '../api/api-client';
import { unwrap } from '../api/problem';
import { ErrorNotice } from '../ui/error-notice';
import { dateTime } from '../ui/format';
import { dueAtOf, dueLocalOf, TaskForm, type TaskDraft } from './task-form';

type Task = components['schemas']['Task'];

const EMPTY: TaskDraft = { title: '', priority: 4, dueLocal: '' };
const SOURCE_WORDS: Record<string, string> = { manual: 'yours', todoist: 'Todoist', google_tasks: 'Google Tasks', ics: 'calendar' };

/** Your open tasks from every source; the ones you wrote here can be edited and completed. */
export function TasksPanel() {
  const queries = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  // A new key after each add empties the form by remounting it.
  const [formKey, setFormKey] = useState(0);
  const tasks = useQuery({ queryKey: ['tasks'], queryFn: () => unwrap(api.GET('/v1/me/tasks', { params: { query: { limit: 200 } } })) });
  const changed = async () => {
    await queries.invalidateQueries({ queryKey: ['tasks'] });
    // A task added or completed changes what Now may suggest.
    await queries.resetQueries({ queryKey: ['tip', 'next'] });
  };
  const add = useMutation({
    mutationFn: (d: TaskDraft) => unwrap(api.POST('/v1/me/tasks', { body: { title: d.title, priority: d.priority, dueAt: dueAtOf(d.dueLocal) } })),
    onSuccess: () => setFormKey((k) => k + 1),
    onSettled: changed,
  });
  const edit = useMutation({
    mutationFn: ({ id, d }: { id: string; d: TaskDraft }) => unwrap(api.PATCH('/v1/me/tasks/{id}', { params: { path: { id } }, body: { title: d.title, priority: d.priority, dueAt: dueAtOf(d.dueLocal) } })),
    onSuccess: () => setEditing(null),
    onSettled: changed,
  });
  const complete = useMutation({ mutationFn: (id: string) => unwrap(api.POST('/v1/me/tasks/{id}/complete', { params: { path: { id } } })), onSettled: changed });

  return (
    <section aria-labelledby="tasks-title">
      <h2 id="tasks-title">Tasks</h2>
      <h3>Add a task</h3>
      <TaskForm key={formKey} initial={EMPTY} submitLabel="Add task" busy={add.isPending} onSubmit={(d) => add.mutate(d)} />
      <ErrorNotice error={add.error} what="Adding the task" />
      <ErrorNotice error={tasks.error} what="Loading your tasks" />
      <ErrorNotice error={edit.error ?? complete.error} what="Changing the task" />
      {tasks.isSuccess && tasks.data.tasks.length === 0 && <p>No open tasks.</p>}
      <ul className="cards" aria-label="Your open tasks">
        {tasks.data?.tasks.map((task: Task) => (
          <li key={task.id} className="card">
            {editing === task.id ? (
              <TaskForm initial={{ title: task.title, priority: task.priority as TaskDraft['priority'], dueLocal: dueLocalOf(task.dueAt) }} submitLabel="Save" busy={edit.isPending} onSubmit={(d) => edit.mutate({ id: task.id, d })} onCancel={() => setEditing(null)} />
            ) : (
              <>
                <h3 className="card-title">{task.title}</h3>
                <p>From {SOURCE_WORDS[task.source] ?? task.source} · priority {task.priority} · due {dateTime(task.dueAt)}</p>
                {task.source === 'manual' && (
                  <div className="actions">
                    <button type="button" onClick={() => complete.mutate(task.id)} aria-label={`Complete “${task.title}”`}>Complete</button>
                    <button type="button" onClick={() => setEditing(task.id)} aria-label={`Edit “${task.title}”`}>Edit</button>
                  </div>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
