import { ConnectorError, type SyncRequest } from '../connector';
import { createIcsConnector, feedUrlOf, readIcsCursor } from './ics.connector';

const FEED = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:a\r\nSUMMARY:Call Ada\r\nEND:VTODO\r\nEND:VCALENDAR\r\n';
const NOW = new Date('2025-03-24T08:00:00Z');
const request = (settings: Record<string, string>, cursor: string | null = null): SyncRequest => ({ cursor, accessToken: null, settings, timeZone: 'UTC', now: NOW });
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof ConnectorError ? error : Promise.reject(error)));

/** A fetch that answers from a list of responses and records what it was asked. */
function scripted(...answers: (() => Response)[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
    const answer = answers.shift();
    if (!answer) throw new Error('no more scripted answers');
    return answer();
  };
  return { fetch: fake as typeof fetch, calls };
}

describe('createIcsConnector', () => {
  it('reads webcal URLs over https and stores the validators, not the URL', async () => {
    const host = scripted(() => new Response(FEED, { headers: { etag: '"v1"', 'last-modified': 'Mon, 24 Mar 2025 07:00:00 GMT' } }));
    const page = await createIcsConnector({ fetch: host.fetch }).listChanges(request({ url: 'webcal://calendar.example.com/feed.ics?token=s3cret' }));
    expect(host.calls[0]?.url).toBe('https://calendar.example.com/feed.ics?token=s3cret');
    expect(page.cursor).not.toContain('s3cret');
    expect(JSON.parse(page.cursor ?? '')).toMatchObject({ etag: '"v1"', lastModified: 'Mon, 24 Mar 2025 07:00:00 GMT' });
  });

  it('follows a redirect only where checkUrl allows, and never from https down to http', async () => {
    const checked: string[] = [];
    const moved = () => new Response(null, { status: 301, headers: { location: 'https://cdn.example.com/feed.ics' } });
    const host = scripted(moved, () => new Response(FEED));
    const connector = createIcsConnector({ fetch: host.fetch, checkUrl: async (url) => void checked.push(url.href) });
    expect((await connector.listChanges(request({ url: 'https://calendar.example.com/feed.ics' }))).changes).toHaveLength(1);
    expect(checked).toEqual(['https://cdn.example.com/feed.ics']);

    const downgrade = scripted(() => new Response(null, { status: 302, headers: { location: 'http://calendar.example.com/feed.ics' } }));
    expect(await failureOf(createIcsConnector({ fetch: downgrade.fetch }).listChanges(request({ url: 'https://calendar.example.com/feed.ics' })))).toMatchObject({
      failure: 'invalid',
      message: expect.stringMatching(/plain http/),
    });
  });

  it('gives up after timeoutMs as unavailable', async () => {
    const hanging = (async (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const error = await failureOf(createIcsConnector({ fetch: hanging, timeoutMs: 20 }).listChanges(request({ url: 'https://calendar.example.com/feed.ics' })));
    expect(error).toMatchObject({ failure: 'unavailable', message: expect.stringMatching(/no complete answer within/) });
  });

  it('refuses a connection without a usable feed URL', async () => {
    const connector = createIcsConnector({ fetch: scripted().fetch });
    expect(await failureOf(connector.listChanges(request({})))).toMatchObject({ failure: 'invalid' });
    expect(await failureOf(connector.listChanges(request({ url: 'ftp://example.com/feed.ics' })))).toMatchObject({ failure: 'invalid' });
  });

  it('does not trust a 304 to a request that was not conditional', async () => {
    const host = scripted(() => new Response(null, { status: 304 }));
    expect(await failureOf(createIcsConnector({ fetch: host.fetch }).listChanges(request({ url: 'https://calendar.example.com/feed.ics' })))).toMatchObject({ failure: 'invalid', status: 304 });
  });
});

describe('readIcsCursor and feedUrlOf', () => {
  it('reads only its own cursor for the same feed, and anything else as none', () => {
    const cursor = { v: 1, feed: 'abc', etag: '"x"', lastModified: null, readAt: NOW.toISOString() };
    expect(readIcsCursor(JSON.stringify(cursor), 'abc')).toEqual(cursor);
    expect(readIcsCursor(JSON.stringify(cursor), 'other')).toBeNull();
    expect(readIcsCursor('{not json', 'abc')).toBeNull();
    expect(readIcsCursor(JSON.stringify({ ...cursor, readAt: 'yesterday' }), 'abc')).toBeNull();
    expect(readIcsCursor(null, 'abc')).toBeNull();
  });

  it('drops the fragment and reads webcals as https', () => {
    expect(feedUrlOf(' webcals://example.com/a.ics#x ').href).toBe('https://example.com/a.ics');
  });
});
