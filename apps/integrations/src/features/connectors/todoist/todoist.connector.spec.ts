import { ConnectorError, type SyncRequest } from '../connector';
import { createTodoistConnector, retryAfterMs } from './todoist.connector';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';
const now = new Date('2025-01-21T12:00:00Z');
const request: SyncRequest = { cursor: null, accessToken: TOKEN, settings: {}, timeZone: 'Europe/Berlin', now };

function answering(status: number, body: string, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
  }) as unknown as typeof fetch;
  return { calls, connector: createTodoistConnector({ apiUrl: 'https://api.todoist.test/api/v1/', fetch: fetcher }) };
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
  return error;
}

describe('createTodoistConnector', () => {
  it('asks for the items of a full sync with a bearer token when it holds no cursor', async () => {
    const { calls, connector } = answering(200, JSON.stringify({ full_sync: true, items: [], sync_token: 'abc', temp_id_mapping: {} }));
    const page = await connector.listChanges(request);
    expect(page).toEqual({ changes: [], complete: true, cursor: 'abc', more: false });
    const [call] = calls;
    expect(call?.url).toBe('https://api.todoist.test/api/v1/sync');
    expect(call?.init.method).toBe('POST');
    expect(new Headers(call?.init.headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(Object.fromEntries(call?.init.body as URLSearchParams)).toEqual({ sync_token: '*', resource_types: '["items"]' });
  });

  it('sends the stored cursor as the sync token', async () => {
    const { calls, connector } = answering(200, JSON.stringify({ full_sync: false, items: [], sync_token: 'next' }));
    await expect(connector.listChanges({ ...request, cursor: 'previous' })).resolves.toMatchObject({ complete: false, cursor: 'next' });
    expect((calls[0]?.init.body as URLSearchParams).get('sync_token')).toBe('previous');
  });

  it('refuses to call Todoist without an access token', async () => {
    const { calls, connector } = answering(200, '{}');
    expect((await failureOf(connector.listChanges({ ...request, accessToken: null }))).failure).toBe('auth');
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['not JSON', 'Service temporarily down<html>'],
    ['no sync token', JSON.stringify({ full_sync: true, items: [] })],
    ['items that are not a list', JSON.stringify({ full_sync: true, items: {}, sync_token: 'abc' })],
    ['an open item without a title', JSON.stringify({ full_sync: true, items: [{ id: 'x' }], sync_token: 'abc' })],
  ])('calls an answer with %s invalid', async (_, body) => {
    const error = await failureOf(answering(200, body).connector.listChanges(request));
    expect(error.failure).toBe('invalid');
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [410, 'invalid'],
    [400, 'invalid'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ])('sorts HTTP %i as %s', async (status, failure) => {
    const error = await failureOf(answering(status, JSON.stringify({ error: 'Nope', error_tag: 'X', http_code: status })).connector.listChanges(request));
    expect({ failure: error.failure, status: error.status }).toEqual({ failure, status });
  });

  it('never puts the token in a message, even when Todoist echoes it', async () => {
    const error = await failureOf(answering(401, JSON.stringify({ error: `token ${TOKEN} is not valid` })).connector.listChanges(request));
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toMatch(/connect Todoist again/);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    const error = await failureOf(answering(429, '{}', { 'retry-after': '17' }).connector.listChanges(request));
    expect({ failure: error.failure, retryAfterMs: error.retryAfterMs }).toEqual({ failure: 'rate_limited', retryAfterMs: 17_000 });
  });

  it('calls a refused connection unavailable', async () => {
    const refusing = (async () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))) as unknown as typeof fetch;
    const error = await failureOf(createTodoistConnector({ apiUrl: 'https://api.todoist.test/api/v1', fetch: refusing }).listChanges(request));
    expect(error.failure).toBe('unavailable');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('gives up on a Todoist that does not answer in time', async () => {
    const hanging = ((_: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as unknown as typeof fetch;
    const error = await failureOf(createTodoistConnector({ apiUrl: 'https://api.todoist.test/api/v1', fetch: hanging, timeoutMs: 20 }).listChanges(request));
    expect(error.failure).toBe('unavailable');
    expect(error.message).toMatch(/did not answer/);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, an HTTP date, the body’s retry_after, or waits a minute', () => {
    expect(retryAfterMs('30', null, now)).toBe(30_000);
    expect(retryAfterMs(new Date(now.getTime() + 45_000).toUTCString(), null, now)).toBe(45_000);
    expect(retryAfterMs('Tue, 21 Jan 2025 11:00:00 GMT', null, now)).toBe(0);
    expect(retryAfterMs(null, { error_extra: { retry_after: 3 } }, now)).toBe(3_000);
    expect(retryAfterMs(null, null, now)).toBe(60_000);
    expect(retryAfterMs('soon', null, now)).toBe(60_000);
  });
});
