import { createHash } from 'node:crypto';
import { ConnectorError, type ChangePage, type Connector, type SyncRequest } from '../connector';
import { icsBusyIntervals } from './ics-busy';
import { parseIcsCalendars } from './ics-calendar';
import { fetchFeed } from './ics-feed';
import { icsTaskChanges } from './ics-mapping';

/** Options of the calendar-feed connector. */
export interface IcsConnectorOptions {
  fetch?: typeof fetch;
  /** Per fetch, body included; default 15 s. */
  timeoutMs?: number;
  /** Largest feed read; default 5 MiB. */
  maxBytes?: number;
  /** How far ahead events count as busy; default 14 days. */
  horizonDays?: number;
  /** Busy times one event contributes at most; default 500. */
  maxOccurrencesPerEvent?: number;
  /** Vets each URL a redirect leads to (the policy the feed URL itself passed); default none. */
  checkUrl?: (url: URL) => Promise<void>;
}

/** The cursor, stored as JSON: the validators of the last full read of the feed. */
export interface IcsCursor {
  v: 1;
  /** A digest of the feed URL the validators belong to (not the URL: it holds the feed's secret). */
  feed: string;
  etag: string | null;
  lastModified: string | null;
  /** When the feed was last read in full (ISO 8601). */
  readAt: string;
}

/**
 * Busy times are stored as of the last full read, over the horizon from then: an unchanged feed
 * is read in full again after this long anyway, so the stored window keeps reaching far enough ahead.
 */
export const BUSY_REFRESH_MS = 6 * 3_600_000;

/**
 * A connector for calendar feeds (iCalendar, RFC 5545, at an http(s) or webcal URL in
 * `settings.url`). Each sync is one conditional GET: unchanged (304) is a page without changes;
 * otherwise the whole feed is one complete page, its open VTODOs upserted, completed and cancelled
 * ones deleted, and its VEVENTs' occurrences over the next `horizonDays` the new busy times.
 *
 * @example
 * const connector = createIcsConnector({ horizonDays: 14 });
 * const page = await connector.listChanges({ cursor: null, accessToken: null, settings: { url: 'webcal://example.com/cal.ics' }, timeZone: 'Europe/Berlin', now: new Date() });
 */
export function createIcsConnector(options: IcsConnectorOptions = {}): Connector {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const horizonDays = options.horizonDays ?? 14;
  const doFetch = options.fetch ?? fetch;

  return {
    provider: 'ics',
    async listChanges(request: SyncRequest): Promise<ChangePage> {
      const url = feedUrlOf(request.settings['url']);
      const feed = feedDigest(url);
      const cursor = readIcsCursor(request.cursor, feed);
      const fresh = cursor !== null && request.now.getTime() - Date.parse(cursor.readAt) < BUSY_REFRESH_MS;
      const answer = await fetchFeed({
        url,
        etag: fresh ? cursor.etag : null,
        lastModified: fresh ? cursor.lastModified : null,
        fetch: doFetch,
        timeoutMs,
        maxBytes,
        now: request.now,
        signal: request.signal,
        checkUrl: options.checkUrl,
      });
      if (answer.kind === 'not_modified') {
        if (!fresh) throw new ConnectorError('invalid', `the calendar at ${url.host} answered "not modified" to a request that was not conditional`, { status: 304 });
        return { changes: [], complete: false, cursor: request.cursor, more: false };
      }
      const calendars = parseIcsCalendars(answer.text);
      const next: IcsCursor = { v: 1, feed, etag: answer.etag, lastModified: answer.lastModified, readAt: request.now.toISOString() };
      return {
        changes: icsTaskChanges(calendars, request.timeZone),
        complete: true,
        cursor: JSON.stringify(next),
        more: false,
        busy: icsBusyIntervals(calendars, { now: request.now, horizonDays, timeZone: request.timeZone, maxOccurrences: options.maxOccurrencesPerEvent }),
      };
    },
  };
}

/**
 * Reads a stored cursor; null (read the feed in full) when it is missing, unreadable, or belongs
 * to another feed URL than `feed` (the settings changed).
 *
 * @example
 * readIcsCursor('{"v":1,"feed":"ab12…","etag":"\\"x\\"","lastModified":null,"readAt":"2025-03-29T08:00:00.000Z"}', 'ab12…')
 */
export function readIcsCursor(stored: string | null, feed: string): IcsCursor | null {
  if (!stored) return null;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return null;
  }
  const c = value as Partial<IcsCursor> | null;
  const ok =
    c?.v === 1 &&
    c.feed === feed &&
    (c.etag === null || typeof c.etag === 'string') &&
    (c.lastModified === null || typeof c.lastModified === 'string') &&
    typeof c.readAt === 'string' &&
    !Number.isNaN(Date.parse(c.readAt));
  return ok ? { v: 1, feed, etag: c.etag ?? null, lastModified: c.lastModified ?? null, readAt: c.readAt as string } : null;
}

/**
 * The feed URL of a connection's settings: `webcal:` (and `webcals:`) read as https, only http(s)
 * accepted.
 *
 * @example
 * feedUrlOf('webcal://example.com/cal.ics').href // 'https://example.com/cal.ics'
 */
export function feedUrlOf(raw: string | undefined): URL {
  if (!raw) throw new ConnectorError('invalid', 'this calendar connection has no feed URL; add the calendar again');
  let url: URL;
  try {
    url = new URL(raw.trim().replace(/^webcals?:\/\//i, 'https://'));
  } catch {
    throw new ConnectorError('invalid', 'the feed URL of this calendar connection is not a URL; paste the feed URL again');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConnectorError('invalid', 'a calendar feed must be an http(s) or webcal URL');
  url.hash = '';
  return url;
}

function feedDigest(url: URL): string {
  return createHash('sha256').update(url.href).digest('base64url').slice(0, 16);
}
