import { createHash, randomBytes } from 'node:crypto';
import type { Reply } from './google-oauth.endpoints';

/** A task list as the stand-in holds it. */
export interface TaskListRecord {
  id: string;
  title: string;
  updated: string;
}

/** A task as the stand-in holds it; `due` is stored as Google does, the date at UTC midnight. */
export interface TaskRecord {
  id: string;
  title: string;
  status: 'needsAction' | 'completed';
  updated: string;
  position: string;
  notes?: string;
  due?: string;
  completed?: string;
  parent?: string;
  deleted: boolean;
  hidden: boolean;
}

/** What a test may set on a task; `due` as `YYYY-MM-DD` or any RFC 3339 time (only its date is kept). */
export interface TaskInput {
  title?: string;
  notes?: string;
  due?: string | null;
  parent?: string;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/**
 * Google's error body: `{ error: { code, message, errors: [{ message, domain, reason }], status } }`.
 *
 * @example
 * googleError(404, 'NOT_FOUND', 'Task list not found.', 'notFound')
 */
export function googleError(code: number, status: string, message: string, reason: string, extraHeaders: Record<string, string> = {}): Reply {
  const domain = reason.toLowerCase().includes('limit') ? 'usageLimits' : 'global';
  return {
    status: code,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...extraHeaders },
    body: JSON.stringify({ error: { code, message, errors: [{ message, domain, reason }], status } }),
  };
}

const invalid = (message: string) => googleError(400, 'INVALID_ARGUMENT', message, 'invalid');
const newId = () => randomBytes(16).toString('base64url');
const etag = (value: string) => `"${createHash('sha1').update(value).digest('base64url')}"`;
const dueFrom = (value: string) => `${value.slice(0, 10)}T00:00:00.000Z`;

function readFlag(query: URLSearchParams, name: string, fallback: boolean): boolean | Reply {
  const value = query.get(name);
  if (value === null) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  return invalid(`Invalid value for ${name}: ${value}`);
}

// A page token is the index, in the unfiltered order, to read on from, so a task that stops
// matching between two pages (completed, say) cannot shift the others past the reader.
function readPaging(query: URLSearchParams): { size: number; from: number } | Reply {
  const raw = query.get('maxResults');
  if (raw !== null && !/^\d+$/.test(raw)) return invalid(`Invalid value at 'max_results' (TYPE_INT32), "${raw}"`);
  const size = raw === null || Number(raw) === 0 ? DEFAULT_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, Number(raw));
  const token = query.get('pageToken');
  if (!token) return { size, from: 0 };
  const from = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
  return Number.isInteger(from) && from >= 0 ? { size, from } : invalid('Invalid page token.');
}

function page<T>(all: T[], matches: (item: T) => boolean, paging: { size: number; from: number }): { items: T[]; nextPageToken?: string } {
  const items: T[] = [];
  for (let i = paging.from; i < all.length; i += 1) {
    const item = all[i] as T;
    if (!matches(item)) continue;
    if (items.length === paging.size) return { items, nextPageToken: Buffer.from(`o:${i}`).toString('base64url') };
    items.push(item);
  }
  return { items };
}

const ok = (body: unknown): Reply => ({ status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(body) });

/**
 * The Tasks API v1 half of the stand-in: one account's task lists and tasks, `tasklists.list` and
 * `tasks.list` with paging and the documented filters, and the edits a test makes as the user.
 *
 * @example
 * const data = createGoogleTasksData({ baseUrl: 'http://127.0.0.1:4000', now: () => new Date() });
 * const inbox = data.addList('My Tasks');
 * data.addTask(inbox.id, { title: 'Buy milk', due: '2025-05-01' });
 */
export function createGoogleTasksData(config: { baseUrl: string; now: () => Date }) {
  const lists = new Map<string, { list: TaskListRecord; tasks: TaskRecord[] }>();
  const stamp = () => config.now().toISOString();

  function entry(listId: string) {
    const found = lists.get(listId);
    if (!found) throw new Error(`No task list ${listId} on the Google Tasks stand-in`);
    return found;
  }
  function find(listId: string, taskId: string): TaskRecord {
    const task = entry(listId).tasks.find((t) => t.id === taskId);
    if (!task) throw new Error(`No task ${taskId} in list ${listId} on the Google Tasks stand-in`);
    return task;
  }
  function change(listId: string, taskId: string, edit: (task: TaskRecord) => void): TaskRecord {
    const task = find(listId, taskId);
    edit(task);
    task.updated = stamp();
    return { ...task };
  }

  const taskJson = (listId: string, t: TaskRecord) => ({
    kind: 'tasks#task',
    id: t.id,
    etag: etag(`${t.id}${t.updated}`),
    title: t.title,
    updated: t.updated,
    selfLink: `${config.baseUrl}/tasks/v1/lists/${listId}/tasks/${t.id}`,
    ...(t.parent ? { parent: t.parent } : {}),
    position: t.position,
    ...(t.notes ? { notes: t.notes } : {}),
    status: t.status,
    ...(t.due ? { due: t.due } : {}),
    ...(t.completed ? { completed: t.completed } : {}),
    ...(t.deleted ? { deleted: true } : {}),
    ...(t.hidden ? { hidden: true } : {}),
    links: [],
    webViewLink: `https://tasks.google.com/task/${t.id}`,
  });
  const listJson = (l: TaskListRecord) => ({ kind: 'tasks#taskList', id: l.id, etag: etag(`${l.id}${l.updated}`), title: l.title, updated: l.updated, selfLink: `${config.baseUrl}/tasks/v1/users/@me/lists/${l.id}` });

  return {
    addList(title: string): TaskListRecord {
      const list = { id: newId(), title, updated: stamp() };
      lists.set(list.id, { list, tasks: [] });
      return { ...list };
    },
    /** Deleting a list deletes its tasks with it; the API answers 404 for it from now on. */
    deleteList(listId: string): void {
      entry(listId);
      lists.delete(listId);
    },
    addTask(listId: string, input: TaskInput): TaskRecord {
      const tasks = entry(listId).tasks;
      const task: TaskRecord = { id: newId(), title: input.title ?? '', status: 'needsAction', updated: stamp(), position: String(tasks.length).padStart(20, '0'), deleted: false, hidden: false };
      if (input.notes) task.notes = input.notes;
      if (input.due) task.due = dueFrom(input.due);
      if (input.parent) task.parent = input.parent;
      tasks.push(task);
      return { ...task };
    },
    updateTask(listId: string, taskId: string, input: TaskInput): TaskRecord {
      return change(listId, taskId, (task) => {
        if (input.title !== undefined) task.title = input.title;
        if (input.notes !== undefined) task.notes = input.notes;
        if (input.due === null) delete task.due;
        else if (input.due !== undefined) task.due = dueFrom(input.due);
      });
    },
    /** Google's own apps hide a task as they complete it; an API client's completion stays visible. */
    completeTask(listId: string, taskId: string, options: { viaApi?: boolean } = {}): TaskRecord {
      return change(listId, taskId, (task) => {
        task.status = 'completed';
        task.completed = stamp();
        task.hidden = !options.viaApi;
      });
    },
    reopenTask(listId: string, taskId: string): TaskRecord {
      return change(listId, taskId, (task) => {
        task.status = 'needsAction';
        delete task.completed;
        task.hidden = false;
      });
    },
    deleteTask(listId: string, taskId: string): TaskRecord {
      return change(listId, taskId, (task) => {
        task.deleted = true;
      });
    },
    /** `tasks.clear`: completed tasks become hidden. */
    clearCompleted(listId: string): void {
      for (const task of entry(listId).tasks) if (task.status === 'completed' && !task.hidden) change(listId, task.id, (t) => (t.hidden = true));
    },
    task(listId: string, taskId: string): TaskRecord {
      return { ...find(listId, taskId) };
    },
    lists(): TaskListRecord[] {
      return [...lists.values()].map(({ list }) => ({ ...list }));
    },

    /** `GET /tasks/v1/users/@me/lists`. */
    listTaskLists(query: URLSearchParams): Reply {
      const paging = readPaging(query);
      if ('status' in paging) return paging;
      const result = page([...lists.values()].map((e) => e.list), () => true, paging);
      return ok({ kind: 'tasks#taskLists', etag: etag(stamp()), ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}), items: result.items.map(listJson) });
    },

    /** `GET /tasks/v1/lists/{tasklist}/tasks`, with showCompleted (default true), showDeleted and showHidden (default false), updatedMin. */
    listTasks(listId: string, query: URLSearchParams): Reply {
      const found = lists.get(listId);
      if (!found) return googleError(404, 'NOT_FOUND', 'Task list not found.', 'notFound');
      const paging = readPaging(query);
      if ('status' in paging) return paging;
      const showCompleted = readFlag(query, 'showCompleted', true);
      const showDeleted = readFlag(query, 'showDeleted', false);
      const showHidden = readFlag(query, 'showHidden', false);
      for (const flag of [showCompleted, showDeleted, showHidden]) if (typeof flag !== 'boolean') return flag;
      const updatedMinRaw = query.get('updatedMin');
      const updatedMin = updatedMinRaw === null ? null : Date.parse(updatedMinRaw);
      if (updatedMin !== null && Number.isNaN(updatedMin)) return invalid(`Invalid value for updatedMin: ${updatedMinRaw}`);
      const matches = (t: TaskRecord) =>
        (showCompleted || t.status !== 'completed') && (showDeleted || !t.deleted) && (showHidden || !t.hidden) && (updatedMin === null || Date.parse(t.updated) >= updatedMin);
      const result = page(found.tasks, matches, paging);
      // Like Google, an empty page has no `items` at all.
      const items = result.items.length > 0 ? { items: result.items.map((t) => taskJson(listId, t)) } : {};
      return ok({ kind: 'tasks#tasks', etag: etag(`${listId}${stamp()}`), ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}), ...items });
    },
  };
}

/** The Tasks half of the stand-in. */
export type GoogleTasksData = ReturnType<typeof createGoogleTasksData>;
