import { createHash, randomBytes } from 'node:crypto';
import { startGoogleTasksServer, type GoogleTasksServer } from '@oo/provider-servers';
import * as openid from 'openid-client';
import { ConnectorError, type ChangePage, type Connector, type TaskChange } from '../src/features/connectors/connector';
import { createGoogleTasksConnector } from '../src/features/connectors/google-tasks/google-tasks.connector';
import { GOOGLE_TASKS_READONLY_SCOPE, googleTasksOAuth } from '../src/features/connectors/google-tasks/google-tasks.oauth';

const T0 = Date.parse('2025-03-29T08:00:00.000Z');
const minutes = (n: number) => n * 60_000;

// The connector against the local Google on port 0, on one clock the test moves: the stand-in
// stamps `updated` with it and the connector's requests carry it as `now`. The access token
// outlives the test's jumps of the clock; refresh is the OAuth client's business, tested below.
async function setUp() {
  let clock = T0;
  let ourClockAhead = 0;
  const google = await startGoogleTasksServer({ now: () => new Date(clock), accessTokenTtlSeconds: 7 * 24 * 3600 });
  const work = google.addList('Work');
  const home = google.addList('Home');
  const report = google.addTask(work.id, { title: 'Send the report', due: '2025-03-30' });
  const review = google.addTask(work.id, { title: 'Review the budget' });
  const book = google.addTask(work.id, { title: 'Book the room' });
  google.completeTask(work.id, google.addTask(work.id, { title: 'Already done' }).id, { viaApi: true });
  const plants = google.addTask(home.id, { title: 'Water the plants' });
  const bins = google.addTask(home.id, { title: 'Put out the bins' });
  const token = google.issueAccessToken();
  const connector = createGoogleTasksConnector({ apiUrl: google.url, pageSize: 2, timeoutMs: 5_000 });
  const call = (c: Connector, cursor: string | null) => c.listChanges({ cursor, accessToken: token, settings: {}, timeZone: 'Europe/Berlin', now: new Date(clock + ourClockAhead) });
  const syncAll = async (cursor: string | null, c: Connector = connector) => {
    const pages: ChangePage[] = [];
    let next = cursor;
    for (;;) {
      const page = await call(c, next);
      pages.push(page);
      next = page.cursor;
      if (!page.more) return { pages, cursor: next, changes: pages.flatMap((p) => p.changes) };
    }
  };
  return { google, work, home, tasks: { report, review, book, plants, bins }, token, connector, call, syncAll, advance: (ms: number) => (clock += ms), runAhead: (ms: number) => (ourClockAhead = ms) };
}

const upsertedTitles = (changes: TaskChange[]) => changes.flatMap((c) => (c.kind === 'upsert' ? [c.task.title] : [])).sort();
const deletedIds = (changes: TaskChange[]) => changes.flatMap((c) => (c.kind === 'delete' ? [c.externalId] : [])).sort();
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof ConnectorError ? error : Promise.reject(error)));

describe('google tasks connector', () => {
  let ctx: Awaited<ReturnType<typeof setUp>>;
  beforeEach(async () => {
    ctx = await setUp();
  });
  afterEach(() => ctx.google.stop());

  it('lists every open task of every list on a first sync, one API page per change page', async () => {
    ctx.advance(minutes(10));
    const { pages, changes } = await ctx.syncAll(null);
    expect(pages.map((p) => [p.changes.length, p.more, p.complete])).toEqual([
      [2, true, true],
      [1, true, true],
      [2, false, true],
    ]);
    expect(upsertedTitles(changes)).toEqual(['Book the room', 'Put out the bins', 'Review the budget', 'Send the report', 'Water the plants']);
    expect(changes).toContainEqual({
      kind: 'upsert',
      task: expect.objectContaining({ externalId: ctx.tasks.report.id, priority: 4, dueAt: new Date('2025-03-29T23:00:00.000Z'), dueAllDay: true, url: `https://tasks.google.com/task/${ctx.tasks.report.id}` }),
    });
    expect([ctx.google.count('tasklists'), ctx.google.count('tasks')]).toEqual([1, 3]);
  });

  it('returns only what changed since, with completed and deleted tasks as deletions', async () => {
    ctx.advance(minutes(10));
    const first = await ctx.syncAll(null);
    ctx.advance(minutes(60));
    const added = ctx.google.addTask(ctx.home.id, { title: 'Call the plumber', due: '2025-04-02' });
    ctx.google.updateTask(ctx.work.id, ctx.tasks.review.id, { title: 'Review the budget with Ada' });
    ctx.google.completeTask(ctx.work.id, ctx.tasks.book.id); // as Google's apps do: hidden at once
    ctx.google.completeTask(ctx.home.id, ctx.tasks.bins.id, { viaApi: true });
    ctx.google.deleteTask(ctx.home.id, ctx.tasks.plants.id);
    ctx.advance(minutes(30));

    const second = await ctx.syncAll(first.cursor);
    expect(second.pages.every((p) => !p.complete)).toBe(true);
    expect(upsertedTitles(second.changes)).toEqual(['Call the plumber', 'Review the budget with Ada']);
    expect(deletedIds(second.changes)).toEqual([ctx.tasks.bins.id, ctx.tasks.book.id, ctx.tasks.plants.id].sort());
    expect(second.changes).toContainEqual({ kind: 'upsert', task: expect.objectContaining({ externalId: added.id, dueAt: new Date('2025-04-01T22:00:00.000Z') }) });

    // Past the overlap kept for clock skew, a quiet account yields nothing.
    ctx.advance(minutes(60));
    const third = await ctx.syncAll(second.cursor);
    expect(third.changes).toEqual([]);
  });

  it('resumes a sync from the cursor of its last committed page without losing a task', async () => {
    ctx.advance(minutes(10));
    const firstPage = await ctx.call(ctx.connector, null);
    // The process dies here; a change lands in the list already read; a new process resumes.
    ctx.advance(minutes(1));
    ctx.google.updateTask(ctx.work.id, ctx.tasks.report.id, { title: 'Send the final report' });
    const restarted = createGoogleTasksConnector({ apiUrl: ctx.google.url, pageSize: 2 });
    const rest = await ctx.syncAll(firstPage.cursor, restarted);
    expect(upsertedTitles([...firstPage.changes, ...rest.changes])).toEqual(['Book the room', 'Put out the bins', 'Review the budget', 'Send the report', 'Water the plants']);

    ctx.advance(minutes(60));
    const next = await ctx.syncAll(rest.cursor, restarted);
    expect(upsertedTitles(next.changes)).toEqual(['Send the final report']);
  });

  it('catches a change made during a sync while oO’s clock runs ahead of Google’s', async () => {
    ctx.advance(minutes(10));
    ctx.runAhead(minutes(3));
    const firstPage = await ctx.call(ctx.connector, null);
    // Stamped by Google a minute after the sync began, yet before the start oO wrote down.
    ctx.advance(minutes(1));
    ctx.google.updateTask(ctx.work.id, ctx.tasks.review.id, { title: 'Review the budget again' });
    const rest = await ctx.syncAll(firstPage.cursor);
    ctx.advance(minutes(60));
    const next = await ctx.syncAll(rest.cursor);
    expect(upsertedTitles(next.changes)).toEqual(['Review the budget again']);
  });

  it('goes on past a list deleted during a sync, and resyncs in full when a list is gone', async () => {
    ctx.advance(minutes(10));
    const firstPage = await ctx.call(ctx.connector, null);
    ctx.google.deleteList(ctx.home.id);
    const rest = await ctx.syncAll(firstPage.cursor);
    expect(upsertedTitles([...firstPage.changes, ...rest.changes])).toEqual(['Book the room', 'Review the budget', 'Send the report']);
    expect(rest.pages.every((p) => p.complete)).toBe(true);

    const garden = ctx.google.addList('Garden');
    ctx.google.addTask(garden.id, { title: 'Mow the lawn' });
    ctx.advance(minutes(60));
    const incremental = await ctx.syncAll(rest.cursor);
    expect(incremental.pages.every((p) => !p.complete)).toBe(true);
    expect(upsertedTitles(incremental.changes)).toEqual(['Mow the lawn']);

    // Deleting a list leaves no trace in the API, so its tasks can only go through a full sync.
    ctx.google.deleteList(garden.id);
    ctx.advance(minutes(60));
    const full = await ctx.syncAll(incremental.cursor);
    expect(full.pages.every((p) => p.complete)).toBe(true);
    expect(upsertedTitles(full.changes)).toEqual(['Book the room', 'Review the budget', 'Send the report']);
  });

  it('reports a 429 with Retry-After, and a 403 rate limit, as rate_limited', async () => {
    ctx.google.failNext({ status: 429, retryAfter: 7 });
    expect(await failureOf(ctx.call(ctx.connector, null))).toMatchObject({ failure: 'rate_limited', retryAfterMs: 7_000, status: 429 });
    for (const reason of ['rateLimitExceeded', 'userRateLimitExceeded']) {
      ctx.google.failNext({ status: 403, reason });
      expect(await failureOf(ctx.call(ctx.connector, null))).toMatchObject({ failure: 'rate_limited', retryAfterMs: 30_000, status: 403 });
    }
    ctx.google.failNext({ status: 403, reason: 'forbidden' });
    expect(await failureOf(ctx.call(ctx.connector, null))).toMatchObject({ failure: 'invalid', status: 403 });
  });

  it('reports a refused token as auth, without the token in the message', async () => {
    ctx.google.expireAccessTokens();
    const error = await failureOf(ctx.call(ctx.connector, null));
    expect(error).toMatchObject({ failure: 'auth', status: 401 });
    expect(error?.message).toMatch(/connect Google Tasks again/);
    expect(error?.message).not.toContain(ctx.token);
  });

  it('reports a 500 as unavailable and carries on from the held cursor afterwards', async () => {
    ctx.advance(minutes(10));
    const firstPage = await ctx.call(ctx.connector, null);
    ctx.google.failNext({ status: 500 });
    expect(await failureOf(ctx.call(ctx.connector, firstPage.cursor))).toMatchObject({ failure: 'unavailable', status: 500 });
    const rest = await ctx.syncAll(firstPage.cursor);
    expect(upsertedTitles([...firstPage.changes, ...rest.changes])).toHaveLength(5);
  });

  it('reads a list again from its start when Google no longer accepts the held page token', async () => {
    ctx.advance(minutes(10));
    const firstPage = await ctx.call(ctx.connector, null);
    const held = JSON.parse(firstPage.cursor ?? '') as { run: { pageToken: string | null } };
    expect(held.run.pageToken).not.toBeNull();
    held.run.pageToken = 'expired-long-ago';
    const rest = await ctx.syncAll(JSON.stringify(held));
    expect(upsertedTitles(rest.changes)).toEqual(['Book the room', 'Put out the bins', 'Review the budget', 'Send the report', 'Water the plants']);
  });

  it('reports no answer, a closed port and an unreadable answer', async () => {
    const hanging: typeof fetch = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const slow = createGoogleTasksConnector({ apiUrl: ctx.google.url, fetch: hanging, timeoutMs: 50 });
    expect(await failureOf(ctx.call(slow, null))).toMatchObject({ failure: 'unavailable', message: expect.stringMatching(/no answer within/) });

    const url = ctx.google.url;
    await ctx.google.stop();
    ctx.google = await startGoogleTasksServer(); // for afterEach; the old port is closed now
    expect(await failureOf(ctx.call(createGoogleTasksConnector({ apiUrl: url }), null))).toMatchObject({ failure: 'unavailable' });

    const html: typeof fetch = async () => new Response('<html>Sign in</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    expect(await failureOf(ctx.call(createGoogleTasksConnector({ apiUrl: url, fetch: html }), null))).toMatchObject({ failure: 'invalid' });
  });
});

describe('google oauth on the local stand-in', () => {
  let google: GoogleTasksServer;
  const redirectUri = 'http://127.0.0.1:9/oauth/google/callback';
  const client = { clientId: 'test.apps.googleusercontent.com', clientSecret: 'test-secret', redirectUris: [redirectUri] };
  beforeEach(async () => {
    google = await startGoogleTasksServer({ clients: [client] });
  });
  afterEach(() => google.stop());

  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };
  const authorize = async (challenge: string, extra: Record<string, string> = {}) => {
    const url = new URL(google.authorizeUrl);
    const params = { client_id: client.clientId, redirect_uri: redirectUri, response_type: 'code', scope: GOOGLE_TASKS_READONLY_SCOPE, state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256', access_type: 'offline', prompt: 'consent', ...extra };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return fetch(url, { redirect: 'manual' });
  };
  const codeFrom = async (response: Response) => new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const postForm = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
  const listLists = (accessToken: string) => fetch(`${google.url}/tasks/v1/users/@me/lists`, { headers: { authorization: `Bearer ${accessToken}` } });

  it('runs authorize → code → token (PKCE) → refresh, and refuses the refresh once access is revoked', async () => {
    const { verifier, challenge } = pkce();
    const redirect = await authorize(challenge);
    expect(redirect.status).toBe(302);
    const back = new URL(redirect.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('iss')).toBe(google.issuer);
    const code = back.searchParams.get('code') ?? '';

    const exchange = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: client.clientId, client_secret: client.clientSecret, code_verifier: verifier };
    const tokens = await postForm(google.tokenUrl, exchange);
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('content-type')).toMatch(/^application\/json/);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    const grant = (await tokens.json()) as Record<string, unknown>;
    expect(grant).toEqual({ access_token: expect.any(String), expires_in: 3599, refresh_token: expect.any(String), scope: GOOGLE_TASKS_READONLY_SCOPE, token_type: 'Bearer' });
    expect((await listLists(String(grant['access_token']))).status).toBe(200);

    const replay = await postForm(google.tokenUrl, exchange);
    expect([replay.status, ((await replay.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);

    // The client secret may come as HTTP Basic instead; a refresh answers no new refresh token.
    const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
    const refreshed = await postForm(google.tokenUrl, { grant_type: 'refresh_token', refresh_token: String(grant['refresh_token']) }, { authorization: basic });
    expect(refreshed.status).toBe(200);
    const fresh = (await refreshed.json()) as Record<string, unknown>;
    expect(fresh).toEqual({ access_token: expect.any(String), expires_in: 3599, scope: GOOGLE_TASKS_READONLY_SCOPE, token_type: 'Bearer' });

    const descriptor = googleTasksOAuth({ authorizeUrl: google.authorizeUrl, tokenUrl: google.tokenUrl, revokeUrl: google.revokeUrl });
    await descriptor.revoke?.({ accessToken: String(fresh['access_token']), refreshToken: String(grant['refresh_token']) }, client);
    const refused = await postForm(google.tokenUrl, { grant_type: 'refresh_token', refresh_token: String(grant['refresh_token']), client_id: client.clientId, client_secret: client.clientSecret });
    expect([refused.status, await refused.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }]);
    expect((await listLists(String(fresh['access_token']))).status).toBe(401);
    // Revoking again is not an error for the descriptor: there is nothing left to end.
    await expect(descriptor.revoke?.({ accessToken: 'gone', refreshToken: String(grant['refresh_token']) }, client)).resolves.toBeUndefined();
  });

  it('refuses a wrong PKCE verifier, a wrong secret, an unregistered redirect URI and an unknown client', async () => {
    const { challenge } = pkce();
    const code = await codeFrom(await authorize(challenge));
    const wrong = await postForm(google.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: client.clientId, client_secret: client.clientSecret, code_verifier: pkce().verifier });
    expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);

    const other = await codeFrom(await authorize(challenge));
    const badSecret = await postForm(google.tokenUrl, { grant_type: 'authorization_code', code: other, redirect_uri: redirectUri, client_id: client.clientId, client_secret: 'nope' });
    expect([badSecret.status, ((await badSecret.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);

    expect((await authorize(challenge, { redirect_uri: 'http://127.0.0.1:9/elsewhere' })).status).toBe(400);
    expect((await authorize(challenge, { client_id: 'unknown.apps.googleusercontent.com' })).status).toBe(401);
  });

  it('answers invalid_grant once a refresh token expires, while an expired access token is refreshed', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFrom(await authorize(challenge));
    const grant = (await (await postForm(google.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: client.clientId, client_secret: client.clientSecret, code_verifier: verifier })).json()) as { access_token: string; refresh_token: string };
    google.expireAccessTokens();
    expect((await listLists(grant.access_token)).status).toBe(401);
    const refresh = () => postForm(google.tokenUrl, { grant_type: 'refresh_token', refresh_token: grant.refresh_token, client_id: client.clientId, client_secret: client.clientSecret });
    expect((await refresh()).status).toBe(200);
    google.expireRefreshTokens();
    const expired = await refresh();
    expect([expired.status, ((await expired.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
  });

  it('gives openid-client answers it accepts: code grant with PKCE and iss, then refresh', async () => {
    const config = new openid.Configuration({ issuer: google.issuer, authorization_endpoint: google.authorizeUrl, token_endpoint: google.tokenUrl }, client.clientId, { client_secret: client.clientSecret }, openid.ClientSecretPost(client.clientSecret));
    openid.allowInsecureRequests(config);
    const verifier = openid.randomPKCECodeVerifier();
    const descriptor = googleTasksOAuth({ authorizeUrl: google.authorizeUrl, tokenUrl: google.tokenUrl, revokeUrl: google.revokeUrl });
    const url = openid.buildAuthorizationUrl(config, {
      ...descriptor.authorizationParams,
      redirect_uri: redirectUri,
      scope: descriptor.scopes.join(' '),
      state: 'st-2',
      code_challenge: await openid.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const redirect = await fetch(url, { redirect: 'manual' });
    const tokens = await openid.authorizationCodeGrant(config, new URL(redirect.headers.get('location') ?? ''), { pkceCodeVerifier: verifier, expectedState: 'st-2' });
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 3599, scope: GOOGLE_TASKS_READONLY_SCOPE });
    const refreshed = await openid.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    google.revokeAccess();
    await expect(openid.refreshTokenGrant(config, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
  });
});
