// What the local Todoist holds: tasks in the shape of API v1's item object, each stamped with the
// point of the change log where it last changed, and the sync tokens, codes and access tokens it
// handed out. No HTTP here: the server reads and writes this, and so do tests.
import { randomBytes } from 'node:crypto';

/** A due date as Todoist returns it (full-day, floating, or fixed in UTC with its zone). */
export interface TodoistDueDate {
  date: string;
  timezone: string | null;
  string: string;
  lang: string;
  is_recurring: boolean;
}

/** A task as `POST /api/v1/sync` lists it under `items`. */
export interface TodoistTask {
  id: string;
  user_id: string;
  project_id: string;
  content: string;
  description: string;
  priority: 1 | 2 | 3 | 4;
  due: TodoistDueDate | null;
  deadline: { date: string; lang: string } | null;
  parent_id: string | null;
  child_order: number;
  section_id: string | null;
  day_order: number;
  is_collapsed: boolean;
  labels: string[];
  added_by_uid: string;
  assigned_by_uid: string | null;
  responsible_uid: string | null;
  checked: boolean;
  is_deleted: boolean;
  added_at: string;
  updated_at: string;
  completed_at: string | null;
  duration: { amount: number; unit: 'minute' | 'day' } | null;
}

/** What a test says about a new task; the rest gets Todoist's defaults. */
export interface TodoistTaskInput {
  id?: string;
  /** The account that owns it; the server's default account when unset. */
  user?: string;
  content: string;
  /** Todoist's scale: 4 very urgent … 1 normal. */
  priority?: 1 | 2 | 3 | 4;
  /** A `date` alone is enough; `string` defaults to the date, `timezone` to null. */
  due?: (Partial<TodoistDueDate> & { date: string }) | null;
  duration?: TodoistTask['duration'];
}

export type TodoistTaskPatch = Partial<Pick<TodoistTaskInput, 'content' | 'priority' | 'due' | 'duration'>>;

// Todoist writes its timestamps with microseconds.
const todoistTime = (at: Date) => at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const opaque = (bytes: number) => randomBytes(bytes).toString('hex');

function dueFrom(due: TodoistTaskInput['due']): TodoistDueDate | null {
  if (!due) return null;
  return { date: due.date, timezone: due.timezone ?? null, string: due.string ?? due.date, lang: due.lang ?? 'en', is_recurring: due.is_recurring ?? false };
}

/**
 * The state of a local Todoist. `changedAt` stamps are positions in one change log; a sync token
 * stands for the position it was handed out at.
 *
 * @example
 * const store = createTodoistStore(() => new Date(), 'ada');
 * const task = store.add({ content: 'Buy milk' });
 * store.changedSince('ada', 0); // [task]
 */
export function createTodoistStore(clock: () => Date, defaultUser: string) {
  const tasks = new Map<string, { task: TodoistTask; changedAt: number }>();
  const syncTokens = new Map<string, { user: string; position: number }>();
  const accessTokens = new Map<string, { user: string; clientId: string; revoked: boolean }>();
  const codes = new Map<string, { user: string; clientId: string; redirectUri: string; expiresAt: number }>();
  let position = 0;

  function change(id: string, edit: (task: TodoistTask, now: string) => void): TodoistTask {
    const entry = tasks.get(id);
    if (!entry || entry.task.is_deleted) throw new Error(`the local Todoist has no task ${id}`);
    const now = todoistTime(clock());
    edit(entry.task, now);
    entry.task.updated_at = now;
    entry.changedAt = ++position;
    return structuredClone(entry.task);
  }

  return {
    add(input: TodoistTaskInput): TodoistTask {
      const id = input.id ?? opaque(8);
      if (tasks.has(id)) throw new Error(`the local Todoist already has a task ${id}`);
      const user = input.user ?? defaultUser;
      const now = todoistTime(clock());
      const task: TodoistTask = {
        id,
        user_id: user,
        project_id: `inbox-${user}`,
        content: input.content,
        description: '',
        priority: input.priority ?? 1,
        due: dueFrom(input.due),
        deadline: null,
        parent_id: null,
        child_order: tasks.size + 1,
        section_id: null,
        day_order: -1,
        is_collapsed: false,
        labels: [],
        added_by_uid: user,
        assigned_by_uid: null,
        responsible_uid: null,
        checked: false,
        is_deleted: false,
        added_at: now,
        updated_at: now,
        completed_at: null,
        duration: input.duration ?? null,
      };
      tasks.set(id, { task, changedAt: ++position });
      return structuredClone(task);
    },
    update: (id: string, patch: TodoistTaskPatch) =>
      change(id, (task) => {
        if (patch.content !== undefined) task.content = patch.content;
        if (patch.priority !== undefined) task.priority = patch.priority;
        if (patch.due !== undefined) task.due = dueFrom(patch.due);
        if (patch.duration !== undefined) task.duration = patch.duration;
      }),
    complete: (id: string) => change(id, (task, now) => Object.assign(task, { checked: true, completed_at: now })),
    remove: (id: string) => change(id, (task) => Object.assign(task, { is_deleted: true })),

    /** What a full sync lists: the user's open tasks. */
    open: (user: string) => [...tasks.values()].map((e) => e.task).filter((t) => t.user_id === user && !t.checked && !t.is_deleted).map((t) => structuredClone(t)),
    /** What an incremental sync lists: every task of the user changed after `since`, completed and deleted ones too. */
    changedSince: (user: string, since: number) =>
      [...tasks.values()].filter((e) => e.task.user_id === user && e.changedAt > since).map((e) => structuredClone(e.task)),

    mintSyncToken(user: string): string {
      const token = opaque(30);
      syncTokens.set(token, { user, position });
      return token;
    },
    /** Where a sync token points for this user; undefined for `*`, a token never handed out, or another user's. */
    positionOf(user: string, token: string): number | undefined {
      const known = syncTokens.get(token);
      return known?.user === user ? known.position : undefined;
    },

    issueCode(grant: { user: string; clientId: string; redirectUri: string }, ttlMs: number): string {
      const code = opaque(20);
      codes.set(code, { ...grant, expiresAt: clock().getTime() + ttlMs });
      return code;
    },
    /** The grant behind a code, once: a code is gone after its first use, whatever the outcome. */
    redeemCode(code: string): { user: string; clientId: string; redirectUri: string } | undefined {
      const grant = codes.get(code);
      codes.delete(code);
      return grant && grant.expiresAt > clock().getTime() ? grant : undefined;
    },

    issueAccessToken(user: string, clientId: string): string {
      const token = opaque(20);
      accessTokens.set(token, { user, clientId, revoked: false });
      return token;
    },
    /** The account a live access token acts for. */
    userOf: (token: string) => {
      const known = accessTokens.get(token);
      return known && !known.revoked ? known.user : undefined;
    },
    revokeAccessToken(token: string, clientId: string): void {
      const known = accessTokens.get(token);
      if (known?.clientId === clientId) known.revoked = true;
    },
    revokeAllAccessTokens(): void {
      for (const known of accessTokens.values()) known.revoked = true;
    },
  };
}

export type TodoistStore = ReturnType<typeof createTodoistStore>;
