// Todoist through its incremental sync (API v1, `POST /api/v1/sync`): the stored cursor is the
// sync token of the last answer, `*` asks for everything open. One answer holds every change.
import { ConnectorError, type ChangePage, type Connector, type SyncRequest } from '../connector';
import { changeFromTodoistItem, type TodoistItem } from './todoist-mapping';

export interface TodoistConnectorOptions {
  /** The API base, `https://api.todoist.com/api/v1` in production. */
  apiUrl: string;
  fetch?: typeof fetch;
  /** How long one request may take; Todoist itself gives up on a request after 15 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_RETRY_AFTER_MS = 60_000;

interface SyncAnswer {
  sync_token: string;
  full_sync: boolean;
  items: TodoistItem[];
}

// A task oO keeps needs its title; one that is gone needs only its id.
function isItem(value: unknown): value is TodoistItem {
  const item = value as Partial<TodoistItem> | null;
  if (typeof item !== 'object' || item === null || typeof item.id !== 'string' || item.id === '') return false;
  return typeof item.content === 'string' || item.checked === true || item.is_deleted === true;
}

function asSyncAnswer(body: unknown): SyncAnswer | null {
  const answer = body as Partial<Record<keyof SyncAnswer, unknown>> | null;
  if (typeof answer !== 'object' || answer === null || typeof answer.sync_token !== 'string' || answer.sync_token === '') return null;
  const items = answer.items ?? [];
  if (!Array.isArray(items) || !items.every(isItem)) return null;
  return { sync_token: answer.sync_token, full_sync: answer.full_sync === true, items };
}

/** A Todoist answer with its body read: the JSON, or null when the body is not JSON. */
export interface TodoistAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  body: unknown;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * How long Todoist asks us to wait: the `Retry-After` header (seconds or an HTTP date), else the
 * documented `error_extra.retry_after` of the body (seconds), else a minute.
 *
 * @example
 * retryAfterMs('30', null, new Date()); // 30000
 */
export function retryAfterMs(header: string | null, body: unknown, now: Date): number {
  const value = header?.trim() ?? '';
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = value === '' ? Number.NaN : Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, date - now.getTime());
  const fromBody = (body as { error_extra?: { retry_after?: unknown } } | null)?.error_extra?.retry_after;
  return typeof fromBody === 'number' && fromBody >= 0 ? fromBody * 1000 : DEFAULT_RETRY_AFTER_MS;
}

// Todoist's own words for a refusal (`error` of its JSON error object), cut short and scrubbed of
// our secrets in case an answer ever echoed one.
function reasonIn(body: unknown, secrets: readonly string[]): string {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error !== 'string' || error.trim() === '') return '';
  const scrubbed = secrets.filter((secret) => secret !== '').reduce((text, secret) => text.split(secret).join('…'), error);
  return `: ${scrubbed.slice(0, 200)}`;
}

/**
 * The ConnectorError for a Todoist answer that is not a success, sorted by what the sync engine
 * does next. Shared by the sync and the token revocation.
 *
 * @example
 * if (!answer.ok) throw todoistFailure(answer, { doing: 'syncing tasks', secrets: [token], now });
 */
export function todoistFailure(
  answer: TodoistAnswer,
  context: { doing: string; secrets: readonly string[]; now: Date; authRemedy?: string },
): ConnectorError {
  const { status, headers, body } = answer;
  const why = reasonIn(body, context.secrets);
  if (status === 401 || status === 403) {
    return new ConnectorError('auth', `Todoist refused oO's access while ${context.doing} (${status}${why}); ${context.authRemedy ?? 'connect Todoist again'}`, { status });
  }
  if (status === 429) {
    const wait = retryAfterMs(headers.get('retry-after'), body, context.now);
    return new ConnectorError('rate_limited', `Todoist asks oO to wait ${Math.ceil(wait / 1000)} s before ${context.doing} again`, { status, retryAfterMs: wait });
  }
  if (status >= 500) return new ConnectorError('unavailable', `Todoist failed while ${context.doing} (${status}${why}); oO will try again`, { status });
  return new ConnectorError('invalid', `Todoist rejected oO's request while ${context.doing} (${status}${why})`, { status });
}

/**
 * Calls Todoist and reads its answer under one deadline and the caller's signal; a network
 * failure or a timeout, before or during the body, becomes `unavailable`.
 *
 * @example
 * const answer = await callTodoist(fetch, url, { method: 'POST', body }, { timeoutMs: 20_000, doing: 'syncing tasks' });
 */
export async function callTodoist(
  fetcher: typeof fetch,
  url: string,
  init: RequestInit,
  options: { timeoutMs: number; doing: string; signal?: AbortSignal },
): Promise<TodoistAnswer> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  try {
    const response = await fetcher(url, { ...init, signal });
    const text = await response.text();
    return { status: response.status, ok: response.ok, headers: response.headers, body: parseJson(text) };
  } catch (error) {
    if (deadline.aborted) throw new ConnectorError('unavailable', `Todoist did not answer within ${Math.round(options.timeoutMs / 1000)} s while ${options.doing}`, { cause: error });
    if (options.signal?.aborted) throw new ConnectorError('unavailable', `oO stopped ${options.doing} with Todoist before it answered`, { cause: error });
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
    throw new ConnectorError('unavailable', `Todoist could not be reached while ${options.doing} (${detail})`, { cause: error });
  }
}

/**
 * The Todoist connector: one sync request per call, with the stored sync token (`*` on the first
 * sync); completed and deleted items become deletions, a full sync lists every open task.
 *
 * @example
 * const todoist = createTodoistConnector({ apiUrl: 'https://api.todoist.com/api/v1' });
 * const page = await todoist.listChanges({ cursor: null, accessToken, settings: {}, timeZone: 'Europe/Berlin', now: new Date() });
 */
export function createTodoistConnector(options: TodoistConnectorOptions): Connector {
  const fetcher = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const syncUrl = `${options.apiUrl.replace(/\/+$/, '')}/sync`;
  const doing = 'syncing tasks';

  return {
    provider: 'todoist',
    async listChanges(request: SyncRequest): Promise<ChangePage> {
      const token = request.accessToken;
      if (!token) throw new ConnectorError('auth', 'oO holds no Todoist access token for this connection; connect Todoist again');
      const answer = await callTodoist(
        fetcher,
        syncUrl,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ sync_token: request.cursor ?? '*', resource_types: JSON.stringify(['items']) }),
        },
        { timeoutMs, doing, ...(request.signal ? { signal: request.signal } : {}) },
      );
      if (!answer.ok) throw todoistFailure(answer, { doing, secrets: [token], now: request.now });
      const sync = asSyncAnswer(answer.body);
      if (!sync) throw new ConnectorError('invalid', `Todoist answered the sync with something oO cannot read (${answer.status}, not a sync answer with a sync_token and items)`, { status: answer.status });
      return {
        changes: sync.items.map((item) => changeFromTodoistItem(item, request.timeZone)),
        complete: sync.full_sync,
        cursor: sync.sync_token,
        more: false,
      };
    },
  };
}
