import { ConnectorError } from '../connector';

const NAME = 'Google Tasks';
/** Google's 429 rarely carries `Retry-After`; its guidance is to back off, so we wait this long. */
export const DEFAULT_RETRY_AFTER_MS = 30_000;
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const SCOPE_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);

/** How to reach the Tasks API for one call. */
export interface GoogleApiCall {
  apiUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  accessToken: string;
  now: Date;
  signal?: AbortSignal;
}

/** Google's error body: `{ error: { code, message, status, errors: [{ reason }], details: [{ reason }] } }`. */
interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  errors?: { reason?: string }[];
  details?: { reason?: string }[];
}

/**
 * GETs a Tasks API resource as JSON; `null` for a 404 (a task list deleted meanwhile), a
 * ConnectorError for every other failure, sorted by what the sync engine should do about it.
 *
 * @example
 * const page = await getGoogleJson(call, '/tasks/v1/users/@me/lists', new URLSearchParams({ maxResults: '100' }));
 */
export async function getGoogleJson(call: GoogleApiCall, path: string, query: URLSearchParams): Promise<Record<string, unknown> | null> {
  const url = `${call.apiUrl.replace(/\/+$/, '')}${path}?${query}`;
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await call.fetch(url, { headers: { authorization: `Bearer ${call.accessToken}`, accept: 'application/json' }, signal });
    text = await response.text();
  } catch (error) {
    const reason = timeout.aborted ? `no answer within ${Math.round(call.timeoutMs / 1000)} s` : call.signal?.aborted ? 'the sync was cancelled' : describeNetworkError(error);
    throw new ConnectorError('unavailable', `${NAME} could not be reached (${reason}); oO will try again`, { cause: error });
  }
  if (response.status === 404) return null;
  if (!response.ok) throw googleFailure(response.status, parseJson(text), response.headers.get('retry-after'), call.now);
  const body = parseJson(text);
  if (!isRecord(body)) throw new ConnectorError('invalid', `${NAME} answered something oO cannot read (not a JSON object)`, { status: response.status });
  return body;
}

/**
 * The ConnectorError for a refused Tasks API request: 401 → `auth`; 429, or 403 for a rate
 * limit → `rate_limited`; 403 for a missing scope → `auth`; 5xx → `unavailable`; else `invalid`.
 *
 * @example
 * googleFailure(403, { error: { code: 403, errors: [{ reason: 'rateLimitExceeded' }] } }, null, new Date()).failure // 'rate_limited'
 */
export function googleFailure(status: number, body: unknown, retryAfter: string | null, now: Date): ConnectorError {
  const error: GoogleErrorBody = isRecord(body) && isRecord(body['error']) ? (body['error'] as GoogleErrorBody) : {};
  const reasons = [...(error.errors ?? []), ...(error.details ?? [])].map((e) => e?.reason).filter((r): r is string => typeof r === 'string');
  const detail = [status, error.status].filter(Boolean).join(' ');
  if (status === 401) {
    return new ConnectorError('auth', `${NAME} no longer accepts oO's access (${detail}); connect Google Tasks again`, { status });
  }
  if (status === 429 || (status === 403 && reasons.some((r) => RATE_REASONS.has(r)))) {
    const retryAfterMs = retryAfterMsFrom(retryAfter, now) ?? DEFAULT_RETRY_AFTER_MS;
    return new ConnectorError('rate_limited', `${NAME} asks oO to slow down (${detail}); trying again in ${Math.ceil(retryAfterMs / 1000)} s`, { status, retryAfterMs });
  }
  if (status === 403 && reasons.some((r) => SCOPE_REASONS.has(r))) {
    return new ConnectorError('auth', `${NAME} was connected without access to your tasks (${detail}); connect it again and allow oO to see your tasks`, { status });
  }
  if (status >= 500) return new ConnectorError('unavailable', `${NAME} is having trouble (${detail}); oO will try again`, { status });
  const said = typeof error.message === 'string' ? `: ${error.message.slice(0, 200)}` : '';
  return new ConnectorError('invalid', `${NAME} refused oO's request (${detail}${said})`, { status });
}

/** `Retry-After` as delay-seconds or an HTTP date; null when absent or unreadable. */
function retryAfterMsFrom(header: string | null, now: Date): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : 'network error';
}
