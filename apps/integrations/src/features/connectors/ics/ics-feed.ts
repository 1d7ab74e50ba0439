import { ConnectorError } from '../connector';

/** A feed host's 429 without `Retry-After`: wait this long. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;
const MAX_REDIRECTS = 5;

/** One conditional GET of a calendar feed. */
export interface FeedRequest {
  url: URL;
  /** From the last full read; sent as `If-None-Match` / `If-Modified-Since`. */
  etag: string | null;
  lastModified: string | null;
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
  now: Date;
  signal?: AbortSignal;
  /** Vets each URL a redirect leads to before it is requested (the feed URL's own policy). */
  checkUrl?: (url: URL) => Promise<void>;
}

/** What the feed's host answered. */
export type FeedResponse = { kind: 'not_modified' } | { kind: 'body'; text: string; etag: string | null; lastModified: string | null };

/**
 * GETs a calendar feed, conditionally when validators are given, following up to five redirects;
 * reads at most `maxBytes` of it within `timeoutMs`. Every failure is a ConnectorError sorted by
 * what the sync engine should do about it; messages name the host, never the URL (it holds the
 * feed's secret).
 *
 * @example
 * const answer = await fetchFeed({ url: new URL(feedUrl), etag: null, lastModified: null, fetch, timeoutMs: 15_000, maxBytes: 5 << 20, now: new Date() });
 */
export async function fetchFeed(request: FeedRequest): Promise<FeedResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1' };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  const host = request.url.host;
  try {
    let url = request.url;
    for (let hops = 0; ; hops += 1) {
      const response = await request.fetch(url, { headers, signal, redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
        await response.body?.cancel();
        if (hops >= MAX_REDIRECTS) throw new ConnectorError('invalid', `the calendar feed at ${host} redirects more than ${MAX_REDIRECTS} times`, { status: response.status });
        url = nextUrl(url, location, host);
        await request.checkUrl?.(url);
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { kind: 'not_modified' };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw feedFailure(response.status, response.headers.get('retry-after'), request.now, host);
      }
      const text = await readLimited(response, request.maxBytes, host);
      return { kind: 'body', text, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
    }
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    const reason = timeout.aborted ? `no complete answer within ${Math.round(request.timeoutMs / 1000)} s` : request.signal?.aborted ? 'the sync was cancelled' : describeNetworkError(error);
    throw new ConnectorError('unavailable', `the calendar feed at ${host} could not be read (${reason}); oO will try again`, { cause: error });
  }
}

/**
 * The ConnectorError for a feed host's refusal: 401/403 → `auth` (the secret address was reset or
 * revoked), 429 → `rate_limited`, 5xx and 408 → `unavailable`, 404/410 and anything else → `invalid`.
 *
 * @example
 * feedFailure(429, '120', new Date(), 'calendar.example.com').retryAfterMs // 120_000
 */
export function feedFailure(status: number, retryAfter: string | null, now: Date, host: string): ConnectorError {
  if (status === 401 || status === 403) {
    return new ConnectorError('auth', `the calendar at ${host} no longer accepts this feed URL (${status}); its secret address was probably reset, so copy the calendar's new feed URL and paste it here`, { status });
  }
  if (status === 429) {
    const retryAfterMs = retryAfterMsFrom(retryAfter, now) ?? DEFAULT_RETRY_AFTER_MS;
    return new ConnectorError('rate_limited', `the calendar at ${host} asks oO to slow down (429); trying again in ${Math.ceil(retryAfterMs / 1000)} s`, { status, retryAfterMs });
  }
  if (status >= 500 || status === 408) return new ConnectorError('unavailable', `the calendar at ${host} is having trouble (${status}); oO will try again`, { status });
  if (status === 404 || status === 410) {
    return new ConnectorError('invalid', `the calendar at ${host} has no feed at this URL (${status}); it may have been deleted or unshared, so check the feed URL`, { status });
  }
  return new ConnectorError('invalid', `the calendar at ${host} refused to send the feed (${status})`, { status });
}

function nextUrl(from: URL, location: string, host: string): URL {
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    throw new ConnectorError('invalid', `the calendar feed at ${host} redirects to something that is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConnectorError('invalid', `the calendar feed at ${host} redirects to a ${url.protocol} address`);
  // A redirect from https to plain http would send the feed's secret in the clear.
  if (from.protocol === 'https:' && url.protocol === 'http:') throw new ConnectorError('invalid', `the calendar feed at ${host} redirects from https to plain http`);
  return url;
}

async function readLimited(response: Response, maxBytes: number, host: string): Promise<string> {
  const tooLarge = () => new ConnectorError('invalid', `the calendar feed at ${host} is larger than ${formatBytes(maxBytes)}, more than oO reads`, { status: response.status });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // The declared length may be absent or wrong: the limit holds for what actually arrives.
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

function formatBytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${+(bytes / (1 << 20)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** `Retry-After` as delay-seconds or an HTTP date; null when absent or unreadable. */
function retryAfterMsFrom(header: string | null, now: Date): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : 'network error';
}
