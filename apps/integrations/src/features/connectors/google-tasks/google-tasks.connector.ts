import { ConnectorError, type ChangePage, type Connector, type SyncRequest } from '../connector';
import { getGoogleJson, type GoogleApiCall } from './google-tasks-api';
import { googleTaskChange, type GoogleTask } from './google-tasks-mapping';

/** Google's production Tasks API; the connector appends `/tasks/v1/…`. */
export const GOOGLE_TASKS_API_URL = 'https://tasks.googleapis.com';

/**
 * How far before the previous sync's start an incremental sync asks from. `updated` is stamped by
 * Google's clock and our start time by ours, and a change may become visible to `tasks.list` a
 * little after its stamp; without the overlap a change made near the start of a sync, or seen
 * through a clock that runs ahead of Google's, would be skipped for good. Seeing a change twice
 * costs nothing: changes are upserts and deletes by id.
 */
export const UPDATED_MIN_MARGIN_MS = 5 * 60_000;

const MAX_PAGE_SIZE = 100; // Google's documented maximum for maxResults
const MAX_LIST_PAGES = 50;

/** Options of the Google Tasks connector. */
export interface GoogleTasksConnectorOptions {
  /** `GOOGLE_TASKS_API_URL`, or a local stand-in's URL. */
  apiUrl: string;
  fetch?: typeof fetch;
  /** Per request, body included; default 15 s. */
  timeoutMs?: number;
  /** Tasks per page (1…100); default 100. */
  pageSize?: number;
}

/**
 * The cursor, stored as JSON. Between syncs only `since` and `known` are set; while a sync is under
 * way `run` says which list and page come next, so a sync that crashed resumes at that page.
 */
export interface GoogleTasksCursor {
  v: 1;
  /** When the last completed sync started (ISO 8601); null until a first sync completed. */
  since: string | null;
  /** The task lists that sync walked: one of them gone means its tasks went with it. */
  known: string[];
  run?: GoogleTasksRun;
}

/** One sync under way across the user's task lists. */
export interface GoogleTasksRun {
  startedAt: string;
  /** Lists every open task (first sync, or a list vanished); else only what changed since `since`. */
  full: boolean;
  lists: string[];
  index: number;
  pageToken: string | null;
}

/**
 * A connector for Google Tasks (API v1): a first sync lists every open task of every task list;
 * later syncs ask each list for what changed since the last one, completed, cleared and deleted
 * tasks included, so those become deletions. One page of the API is one `ChangePage`.
 *
 * @example
 * const connector = createGoogleTasksConnector({ apiUrl: GOOGLE_TASKS_API_URL });
 * const page = await connector.listChanges({ cursor: null, accessToken, settings: {}, timeZone: 'Europe/Berlin', now: new Date() });
 */
export function createGoogleTasksConnector(options: GoogleTasksConnectorOptions): Connector {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const doFetch = options.fetch ?? fetch;

  return {
    provider: 'google_tasks',
    async listChanges(request: SyncRequest): Promise<ChangePage> {
      if (!request.accessToken) throw new ConnectorError('auth', 'Google Tasks is not connected; connect Google Tasks again');
      const call: GoogleApiCall = { apiUrl: options.apiUrl, fetch: doFetch, timeoutMs, accessToken: request.accessToken, now: request.now, signal: request.signal };
      const cursor = readGoogleTasksCursor(request.cursor);
      const run = cursor.run ?? (await startRun(call, cursor, request.now));
      const listId = run.lists[run.index];
      if (listId === undefined) return finished(run, []);

      const path = `/tasks/v1/lists/${encodeURIComponent(listId)}/tasks`;
      const page = await getGoogleJson(call, path, taskQuery(run, cursor.since, pageSize)).catch((error: unknown) => {
        // A page token kept through a long outage may no longer be accepted: reading the list again
        // from its first page repeats some changes, which is harmless, instead of failing for good.
        if (!(error instanceof ConnectorError && error.status === 400 && run.pageToken)) throw error;
        return getGoogleJson(call, path, taskQuery({ ...run, pageToken: null }, cursor.since, pageSize));
      });
      const changes = page ? readItems(page, 'tasks').map((task) => googleTaskChange(task as GoogleTask, request.timeZone)) : [];
      const next = nextStep(run, listId, page);
      if (next.index >= next.lists.length) return finished(next, changes);
      return { changes, complete: run.full, cursor: JSON.stringify({ ...cursor, run: next } satisfies GoogleTasksCursor), more: true };
    },
  };
}

/**
 * Reads a stored cursor; one that is missing or unreadable starts over with a full sync, which is
 * always correct (it lists every open task and the engine drops the rest).
 *
 * @example
 * readGoogleTasksCursor(null) // { v: 1, since: null, known: [] }
 */
export function readGoogleTasksCursor(stored: string | null): GoogleTasksCursor {
  const fresh: GoogleTasksCursor = { v: 1, since: null, known: [] };
  if (!stored) return fresh;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return fresh;
  }
  const c = value as Partial<GoogleTasksCursor> | null;
  if (c?.v !== 1 || !(c.since === null || isInstant(c.since)) || !isStringArray(c.known)) return fresh;
  const run = c.run;
  if (run === undefined) return { v: 1, since: c.since, known: c.known };
  const runOk =
    isInstant(run.startedAt) &&
    typeof run.full === 'boolean' &&
    isStringArray(run.lists) &&
    Number.isInteger(run.index) &&
    run.index >= 0 &&
    (run.pageToken === null || typeof run.pageToken === 'string');
  return runOk ? { v: 1, since: c.since, known: c.known, run } : fresh;
}

async function startRun(call: GoogleApiCall, cursor: GoogleTasksCursor, now: Date): Promise<GoogleTasksRun> {
  const lists = await listTaskLists(call);
  const listGone = cursor.known.some((id) => !lists.includes(id));
  return { startedAt: now.toISOString(), full: cursor.since === null || listGone, lists, index: 0, pageToken: null };
}

function nextStep(run: GoogleTasksRun, listId: string, page: Record<string, unknown> | null): GoogleTasksRun {
  if (!page) {
    // A 404: the list was deleted during this sync. A full sync simply forgets it (listing none of
    // its tasks drops them); an incremental one keeps it known, so the next sync misses it and runs in full.
    return run.full ? { ...run, lists: run.lists.filter((id) => id !== listId), pageToken: null } : { ...run, index: run.index + 1, pageToken: null };
  }
  const token = page['nextPageToken'];
  return typeof token === 'string' && token !== '' ? { ...run, pageToken: token } : { ...run, index: run.index + 1, pageToken: null };
}

function finished(run: GoogleTasksRun, changes: ChangePage['changes']): ChangePage {
  const idle: GoogleTasksCursor = { v: 1, since: run.startedAt, known: run.lists };
  return { changes, complete: run.full, cursor: JSON.stringify(idle), more: false };
}

function taskQuery(run: GoogleTasksRun, since: string | null, pageSize: number): URLSearchParams {
  const query = new URLSearchParams({ maxResults: String(pageSize) });
  if (run.full || since === null) {
    // Open tasks only: what is already done need not be listed, since a full sync drops the rest.
    query.set('showCompleted', 'false');
    query.set('showHidden', 'false');
  } else {
    query.set('updatedMin', new Date(Date.parse(since) - UPDATED_MIN_MARGIN_MS).toISOString());
    query.set('showCompleted', 'true');
    // Tasks completed in Google's own apps are hidden at once: without this their completion is never seen.
    query.set('showHidden', 'true');
    query.set('showDeleted', 'true');
  }
  if (run.pageToken) query.set('pageToken', run.pageToken);
  return query;
}

async function listTaskLists(call: GoogleApiCall): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | null = null;
  for (let pages = 0; pages < MAX_LIST_PAGES; pages += 1) {
    const query = new URLSearchParams({ maxResults: String(MAX_PAGE_SIZE) });
    if (pageToken) query.set('pageToken', pageToken);
    const page = await getGoogleJson(call, '/tasks/v1/users/@me/lists', query);
    if (!page) throw new ConnectorError('invalid', 'Google Tasks did not find the task lists of this account (404)', { status: 404 });
    for (const list of readItems(page, 'task lists')) if (!ids.includes(list.id)) ids.push(list.id);
    pageToken = typeof page['nextPageToken'] === 'string' && page['nextPageToken'] !== '' ? page['nextPageToken'] : null;
    if (!pageToken) return ids;
  }
  throw new ConnectorError('invalid', `Google Tasks kept paging through task lists past ${MAX_LIST_PAGES * MAX_PAGE_SIZE}`);
}

function readItems(page: Record<string, unknown>, what: string): { id: string }[] {
  const items = page['items'] ?? [];
  const ok = Array.isArray(items) && items.every((item) => typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string');
  if (!ok) throw new ConnectorError('invalid', `Google Tasks answered ${what} oO cannot read (items without an id)`);
  return items as { id: string }[];
}

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
