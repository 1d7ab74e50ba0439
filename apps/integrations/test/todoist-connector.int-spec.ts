import { startTodoistServer, type TodoistServer } from '@oo/provider-servers';
import { ConnectorError, type ChangePage, type SyncRequest } from '../src/features/connectors/connector';
import { createTodoistConnector } from '../src/features/connectors/todoist/todoist.connector';
import { todoistOAuth } from '../src/features/connectors/todoist/todoist.oauth';

// The Todoist connector and OAuth descriptor against the local Todoist, which follows API v1's
// documented protocol: sync tokens, completions and deletions, rate limits, revoked tokens, and
// the authorization-code flow as a browser and a plain HTTP client would drive it.
describe('Todoist connector against the local Todoist', () => {
  let todoist: TodoistServer;
  const now = new Date('2025-01-21T12:00:00Z');

  beforeEach(async () => {
    todoist = await startTodoistServer({ user: 'ada' });
  });
  afterEach(() => todoist.stop());

  const connector = () => createTodoistConnector({ apiUrl: todoist.apiUrl, timeoutMs: 5_000 });
  const sync = (accessToken: string, cursor: string | null): Promise<ChangePage> =>
    connector().listChanges({ cursor, accessToken, settings: {}, timeZone: 'Europe/Berlin', now } satisfies SyncRequest);

  async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
    return error;
  }

  describe('sync', () => {
    it('lists every open task on the first sync, as a complete page', async () => {
      const milk = todoist.addTask({ content: 'Buy milk', priority: 4, due: { date: '2025-01-22' }, duration: { amount: 15, unit: 'minute' } });
      const call = todoist.addTask({ content: 'Call Bob', due: { date: '2025-01-22T09:30:00.000000' } });
      todoist.completeTask(todoist.addTask({ content: 'Done already' }).id);
      todoist.deleteTask(todoist.addTask({ content: 'Gone already' }).id);

      const page = await sync(todoist.issueToken(), null);

      expect(page).toMatchObject({ complete: true, more: false, cursor: expect.any(String) });
      expect(page.changes).toEqual([
        {
          kind: 'upsert',
          task: {
            externalId: milk.id,
            title: 'Buy milk',
            priority: 1,
            dueAt: new Date('2025-01-21T23:00:00Z'),
            dueAllDay: true,
            createdAt: new Date(milk.added_at),
            updatedAt: new Date(milk.updated_at),
            url: `https://app.todoist.com/app/task/${milk.id}`,
            estimatedMinutes: 15,
          },
        },
        { kind: 'upsert', task: expect.objectContaining({ externalId: call.id, priority: 4, dueAt: new Date('2025-01-22T08:30:00Z'), dueAllDay: false }) },
      ]);
    });

    it('lists only what changed since the cursor: additions, updates, completions and deletions', async () => {
      const token = todoist.issueToken();
      const kept = todoist.addTask({ content: 'Untouched' });
      const renamed = todoist.addTask({ content: 'Draft report' });
      const finished = todoist.addTask({ content: 'Pay rent' });
      const dropped = todoist.addTask({ content: 'Old idea' });
      const first = await sync(token, null);
      expect(first.changes).toHaveLength(4);

      const added = todoist.addTask({ content: 'New task', priority: 3 });
      todoist.updateTask(renamed.id, { content: 'Final report', priority: 2 });
      todoist.completeTask(finished.id);
      todoist.deleteTask(dropped.id);
      const second = await sync(token, first.cursor);

      expect(second.complete).toBe(false);
      expect(second.cursor).not.toBe(first.cursor);
      expect(second.changes).toEqual(
        expect.arrayContaining([
          { kind: 'upsert', task: expect.objectContaining({ externalId: added.id, title: 'New task', priority: 2 }) },
          { kind: 'upsert', task: expect.objectContaining({ externalId: renamed.id, title: 'Final report', priority: 3 }) },
          { kind: 'delete', externalId: finished.id },
          { kind: 'delete', externalId: dropped.id },
        ]),
      );
      expect(second.changes).toHaveLength(4);
      expect(second.changes.some((c) => c.kind === 'upsert' && c.task.externalId === kept.id)).toBe(false);

      await expect(sync(token, second.cursor)).resolves.toMatchObject({ changes: [], complete: false });
    });

    it('keeps one account’s tasks from another’s', async () => {
      todoist.addTask({ content: 'Ada’s task' });
      todoist.addTask({ content: 'Bob’s task', user: 'bob' });
      const page = await sync(todoist.issueToken('bob'), null);
      expect(page.changes).toEqual([{ kind: 'upsert', task: expect.objectContaining({ title: 'Bob’s task' }) }]);
    });

    it('starts over with a full sync when the cursor is one Todoist does not know', async () => {
      todoist.addTask({ content: 'Buy milk' });
      await expect(sync(todoist.issueToken(), 'not-a-sync-token')).resolves.toMatchObject({ complete: true, changes: [expect.objectContaining({ kind: 'upsert' })] });
    });
  });

  describe('failures', () => {
    it('is rate limited for as long as Retry-After says, in seconds or as a date', async () => {
      const token = todoist.issueToken();
      todoist.failNext({ status: 429, retryAfter: 30 });
      const seconds = await failureOf(sync(token, null));
      expect({ failure: seconds.failure, retryAfterMs: seconds.retryAfterMs, status: seconds.status }).toEqual({ failure: 'rate_limited', retryAfterMs: 30_000, status: 429 });

      todoist.failNext({ status: 429, retryAfter: new Date(now.getTime() + 90_000).toUTCString() });
      expect((await failureOf(sync(token, null))).retryAfterMs).toBe(90_000);

      await expect(sync(token, null)).resolves.toMatchObject({ complete: true });
      expect(todoist.requests.sync).toBe(3);
    });

    it('needs the user to sign in again once the token is revoked', async () => {
      const token = todoist.issueToken();
      await sync(token, null);
      todoist.revokeAllTokens();
      const error = await failureOf(sync(token, null));
      expect({ failure: error.failure, status: error.status }).toEqual({ failure: 'auth', status: 401 });
      expect(error.message).not.toContain(token);
      expect((await failureOf(sync('a-token-todoist-never-issued', null))).failure).toBe('auth');
    });

    it('is unavailable on a 5xx, and the cursor it held still works afterwards', async () => {
      const token = todoist.issueToken();
      todoist.addTask({ content: 'Before' });
      const first = await sync(token, null);
      const later = todoist.addTask({ content: 'After' });

      todoist.failNext({ status: 500, times: 2 });
      expect((await failureOf(sync(token, first.cursor))).failure).toBe('unavailable');
      expect((await failureOf(sync(token, first.cursor))).status).toBe(500);

      const retried = await sync(token, first.cursor);
      expect(retried).toMatchObject({ complete: false, changes: [{ kind: 'upsert', task: expect.objectContaining({ externalId: later.id }) }] });
    });

    it('is unavailable when nothing answers', async () => {
      const token = todoist.issueToken();
      const apiUrl = todoist.apiUrl;
      await todoist.stop();
      const error = await failureOf(createTodoistConnector({ apiUrl }).listChanges({ cursor: null, accessToken: token, settings: {}, timeZone: 'UTC', now }));
      expect(error.failure).toBe('unavailable');
      todoist = await startTodoistServer();
    });
  });

  describe('OAuth, as a browser and a plain HTTP client drive it', () => {
    const redirectUri = 'https://oo.example/v1/connections/todoist/callback';

    function authorizeUrl(params: Record<string, string>): string {
      const url = new URL(todoist.authorizeUrl);
      url.search = new URLSearchParams({ client_id: todoist.app.clientId, scope: 'data:read', state: 'state-123', redirect_uri: redirectUri, ...params }).toString();
      return url.href;
    }

    async function callback(params: Record<string, string> = {}): Promise<URL> {
      const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
      expect(response.status).toBe(302);
      return new URL(response.headers.get('location') ?? '');
    }

    const exchange = (fields: Record<string, string>) =>
      fetch(todoist.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: todoist.app.clientId, client_secret: todoist.app.clientSecret, ...fields }),
      });

    it('signs the user in, trades the code for a token that syncs, and refuses the code a second time', async () => {
      todoist.addTask({ content: 'Buy milk', user: 'carol' });
      todoist.signIn('carol');
      const back = await callback();
      expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
      expect(back.searchParams.get('state')).toBe('state-123');
      const code = back.searchParams.get('code') ?? '';
      expect(code).not.toBe('');

      const granted = await exchange({ code, redirect_uri: redirectUri });
      expect(granted.status).toBe(200);
      const body = (await granted.json()) as { access_token: string; token_type: string };
      expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer' });
      await expect(sync(body.access_token, null)).resolves.toMatchObject({ changes: [{ kind: 'upsert', task: expect.objectContaining({ title: 'Buy milk' }) }] });

      const reused = await exchange({ code });
      expect(reused.status).toBe(400);
      await expect(reused.json()).resolves.toEqual({ error: 'bad_authorization_code' });
      expect(todoist.requests).toMatchObject({ authorize: 1, token: 2 });
    });

    it('refuses a token request with the wrong client secret', async () => {
      const code = (await callback()).searchParams.get('code') ?? '';
      const refused = await exchange({ code, client_secret: 'wrong' });
      expect(refused.status).toBe(400);
      await expect(refused.json()).resolves.toEqual({ error: 'incorrect_application_credentials' });
    });

    it('sends the documented errors back to the app: a denial, an unknown scope', async () => {
      expect(Object.fromEntries((await callback({ scope: 'data:everything' })).searchParams)).toEqual({ error: 'invalid_scope', state: 'state-123' });
      todoist.consent('deny');
      expect(Object.fromEntries((await callback()).searchParams)).toEqual({ error: 'access_denied', state: 'state-123' });
    });

    it('does not redirect for an unknown client', async () => {
      const response = await fetch(authorizeUrl({ client_id: 'someone-else' }), { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    });

    it('revokes a token through the RFC 7009 endpoint with the descriptor’s revoke', async () => {
      const descriptor = todoistOAuth({ authorizeUrl: todoist.authorizeUrl, tokenUrl: todoist.tokenUrl, apiUrl: todoist.apiUrl });
      expect(descriptor).toMatchObject({ provider: 'todoist', pkce: false, clientAuth: 'client_secret_post', scopes: ['data:read'] });
      const token = todoist.issueToken();
      await sync(token, null);

      const { revoke } = descriptor;
      if (!revoke) throw new Error('the Todoist descriptor has no revoke');
      await revoke({ accessToken: token, refreshToken: null }, todoist.app);
      expect(todoist.requests.revoke).toBe(1);
      expect((await failureOf(sync(token, null))).failure).toBe('auth');

      const wrongSecret = 'not-the-secret-4711';
      const refused = await failureOf(revoke({ accessToken: token, refreshToken: null }, { ...todoist.app, clientSecret: wrongSecret }));
      expect({ failure: refused.failure, status: refused.status }).toEqual({ failure: 'auth', status: 401 });
      expect(refused.message).not.toContain(wrongSecret);
      expect(refused.message).not.toContain(token);
    });

    it('revokes a token through DELETE /api/v1/access_tokens as well', async () => {
      const token = todoist.issueToken();
      const query = new URLSearchParams({ client_id: todoist.app.clientId, client_secret: todoist.app.clientSecret, access_token: token });
      const response = await fetch(`${todoist.apiUrl}/access_tokens?${query}`, { method: 'DELETE' });
      expect(response.status).toBe(200);
      expect((await failureOf(sync(token, null))).failure).toBe('auth');
    });
  });
});
