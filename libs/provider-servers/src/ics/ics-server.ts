// A local calendar host serving iCalendar feeds (RFC 5545) as the big ones do: a strong ETag and
// Last-Modified on every feed, 304 Not Modified to a matching If-None-Match or If-Modified-Since
// (RFC 9110 §13), a secret token in the URL standing in for the address a calendar shares, and a
// control surface to change feeds and inject failures.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export * from './ics-text';

export interface IcsServerOptions {
  /** 0 (the default): a free port. */
  port?: number;
  /** Feeds need `?token=<token>` in their URL (a wrong or missing one is 403); unset: none. */
  token?: string;
  /** Stamps Last-Modified; default the system clock. */
  clock?: () => Date;
}

/** How a feed is sent. */
export interface IcsFeedOptions {
  /** Without Content-Length, in chunks, as a generated feed streams; default false. */
  chunked?: boolean;
  /** Default `text/calendar; charset=utf-8`. */
  contentType?: string;
}

/** An answer to inject instead of the next feed requests'. */
export interface IcsFailure {
  status: number;
  /** `Retry-After`: seconds, or an HTTP date as a string. */
  retryAfter?: number | string;
  /** How many requests in a row get it; 1 by default. */
  times?: number;
  body?: string;
}

export interface IcsServerRequests {
  /** Feed requests seen, failed ones included. */
  total: number;
  /** Of those, answered 304 Not Modified. */
  notModified: number;
  /** Per feed path. */
  byPath: Readonly<Record<string, number>>;
}

export interface IcsServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: Readonly<IcsServerRequests>;
  /** Serves a feed at `path` (`/work.ics`), new validators if the text changed; answers its URL, token included. */
  setFeed(path: string, text: string, options?: IcsFeedOptions): string;
  /** The URL of a feed, with the current token. */
  feedUrl(path: string): string;
  /** The feed is gone: 404 from now on. */
  removeFeed(path: string): void;
  /** Changes the secret (as a calendar does when its private address is reset); null: no token. */
  requireToken(token: string | null): void;
  failNext(failure: IcsFailure): void;
  stop(): Promise<void>;
}

interface Feed {
  body: Buffer;
  etag: string;
  /** Whole seconds, as HTTP dates carry them. */
  lastModifiedMs: number;
  options: IcsFeedOptions;
}

/**
 * Starts a local calendar host on 127.0.0.1 without feeds.
 *
 * @example
 * const calendar = await startIcsServer({ token: 'secret' });
 * const url = calendar.setFeed('/work.ics', icsCalendar(icsComponent('VTODO', { UID: 'a', SUMMARY: 'Renew the passport' })));
 * await createIcsConnector().listChanges({ cursor: null, accessToken: null, settings: { url }, timeZone: 'UTC', now: new Date() });
 * await calendar.stop();
 */
export async function startIcsServer(options: IcsServerOptions = {}): Promise<IcsServer> {
  const clock = options.clock ?? (() => new Date());
  const feeds = new Map<string, Feed>();
  const failures: IcsFailure[] = [];
  const requests = { total: 0, notModified: 0, byPath: {} as Record<string, number> };
  let token = options.token ?? null;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.total += 1;
    requests.byPath[url.pathname] = (requests.byPath[url.pathname] ?? 0) + 1;
    const failure = failures[0];
    if (failure) {
      if ((failure.times = (failure.times ?? 1) - 1) <= 0) failures.shift();
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      return res.writeHead(failure.status, headers).end(failure.body ?? `injected ${failure.status}`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (token !== null && url.searchParams.get('token') !== token) return res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
    const feed = feeds.get(url.pathname);
    if (!feed) return res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');

    const validators = { etag: feed.etag, 'last-modified': new Date(feed.lastModifiedMs).toUTCString(), 'cache-control': 'private, max-age=0' };
    if (notModified(req, feed)) {
      requests.notModified += 1;
      return res.writeHead(304, validators).end();
    }
    const headers: Record<string, string | number> = { ...validators, 'content-type': feed.options.contentType ?? 'text/calendar; charset=utf-8' };
    if (!feed.options.chunked) headers['content-length'] = feed.body.byteLength;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    if (!feed.options.chunked) return res.end(feed.body);
    for (let at = 0; at < feed.body.byteLength; at += 16 * 1024) res.write(feed.body.subarray(at, at + 16 * 1024));
    return res.end();
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const feedUrl = (path: string) => `${base}${path}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;

  return {
    url: base,
    requests,
    setFeed(path, text, feedOptions = {}) {
      const body = Buffer.from(text, 'utf8');
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      const previous = feeds.get(path);
      // Same text, same validators: a calendar host does not invent changes.
      const lastModifiedMs = previous?.etag === etag ? previous.lastModifiedMs : Math.floor(clock().getTime() / 1000) * 1000;
      feeds.set(path, { body, etag, lastModifiedMs, options: feedOptions });
      return feedUrl(path);
    },
    feedUrl,
    removeFeed: (path) => void feeds.delete(path),
    requireToken: (next) => void (token = next),
    failNext: (failure) => void failures.push({ ...failure }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** RFC 9110 §13.1: If-None-Match (weak comparison) decides when present; else If-Modified-Since. */
function notModified(req: IncomingMessage, feed: Feed): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(feed.etag));
  }
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && feed.lastModifiedMs <= since;
}
