import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { UserRevokedSchema } from '@oo/contracts';
import { eventually } from '@oo/testing';
import { call as send, type CallOptions } from './support/client';
import { startGatewaySystem, type GatewaySystem } from './support/gateway-system';

const APP = 'https://app.oo.test';
const PUBLIC = 'http://localhost:8080';

const setCookies = (headers: Headers) => headers.getSetCookie();
const cookieValue = (headers: Headers, name: string) => setCookies(headers).find((c) => c.startsWith(`${name}=`))?.split(';')[0]?.slice(name.length + 1);

// The web: sign-in, the session cookie exchanged at auth (contract fake), CSRF and CORS — and native apps' sign-in.
describe('the gateway for the web app and native sign-in', () => {
  let s: GatewaySystem;
  const call = (method: string, path: string, options: CallOptions = {}) => send(s.baseUrl, method, path, options);

  /** Signs `userId` in through the gateway as a browser would: the session cookie and its CSRF token. */
  const signIn = async (userId: string) => {
    const started = await call('GET', '/v1/auth/sign-in?return_to=/today');
    const login = cookieValue(started.headers, '__Host-oo_login') ?? '';
    const done = await call('GET', `/v1/auth/callback?code=ok:${userId}&state=s1`, { cookie: `__Host-oo_login=${login}` });
    const cookie = `__Host-oo_session=${cookieValue(done.headers, '__Host-oo_session') ?? ''}`;
    const session = await call('GET', '/v1/auth/session', { cookie });
    return { cookie, csrf: session.body['csrfToken'] as string };
  };

  beforeAll(async () => {
    s = await startGatewaySystem({ label: 'gw-web' });
  });
  afterAll(() => s?.stop());

  it('signs a browser in: login cookie and redirect to the provider, then the session cookie and a 303 to returnTo', async () => {
    const started = await call('GET', '/v1/auth/sign-in?return_to=/today');
    expect(started.status).toBe(302);
    expect(started.headers.get('location')).toMatch(/^https:\/\/idp\.test\/authorize/);
    const loginCookie = setCookies(started.headers).find((c) => c.startsWith('__Host-oo_login='));
    expect(loginCookie).toMatch(/; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/);

    const login = cookieValue(started.headers, '__Host-oo_login');
    const done = await call('GET', '/v1/auth/callback?code=ok:ada&state=s1', { cookie: `__Host-oo_login=${login}` });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/today');
    expect(s.auth.callbackUrls.at(-1)).toBe(`${PUBLIC}/v1/auth/callback?code=ok:ada&state=s1`);
    const session = setCookies(done.headers).find((c) => c.startsWith('__Host-oo_session='));
    expect(session).toMatch(/; Path=\/; Expires=.+; HttpOnly; Secure; SameSite=Lax$/);
    expect(setCookies(done.headers).find((c) => c.startsWith('__Host-oo_login='))).toMatch(/Max-Age=0/);
  });

  it('refuses a return_to that leaves the site', async () => {
    for (const target of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
      expect((await call('GET', `/v1/auth/sign-in?return_to=${encodeURIComponent(target)}`)).status).toBe(400);
    }
  });

  it('answers a failed callback with a 400 problem and sets no cookie', async () => {
    const noLogin = await call('GET', '/v1/auth/callback?code=ok:ada&state=s1');
    expect(noLogin.status).toBe(400);
    expect(noLogin.body['code']).toBe('GATEWAY_SIGN_IN_FAILED');
    expect(setCookies(noLogin.headers)).toEqual([]);
    const started = await call('GET', '/v1/auth/sign-in');
    const refused = await call('GET', '/v1/auth/callback?error=access_denied&state=s1', { cookie: `__Host-oo_login=${cookieValue(started.headers, '__Host-oo_login') ?? ''}` });
    expect(refused.status).toBe(400);
    expect(refused.type).toMatch(/^application\/problem\+json/);
    expect(refused.body['code']).toBe('AUTH_SIGN_IN_FAILED');
    expect(setCookies(refused.headers)).toEqual([]);
  });

  it('serves the session to the web app and exchanges the cookie at auth once for many requests', async () => {
    const { cookie, csrf } = await signIn('bea');
    const before = s.auth.exchanges;
    const session = await call('GET', '/v1/auth/session', { cookie });
    expect(session.body).toMatchObject({ userId: 'bea', csrfToken: csrf, sessionId: expect.any(String), expiresAt: expect.any(String) });
    for (let i = 0; i < 5; i++) expect((await call('GET', '/v1/me/preferences', { cookie })).status).toBe(200);
    expect(s.auth.exchanges).toBe(before);
    expect((await call('GET', '/v1/auth/session', { token: await s.tokenFor('bea') })).body['code']).toBe('GATEWAY_SESSION_REQUIRED');
  });

  it('refuses unsafe cookie requests without the right Origin and X-CSRF-Token with 403, and lets the right one through', async () => {
    const { cookie, csrf } = await signIn('cy');
    const patch = (headers: Record<string, string>) => call('PATCH', '/v1/me/preferences', { cookie, headers, body: { timezone: 'Asia/Tokyo' }, type: 'application/merge-patch+json' });
    const refusals = [
      await patch({ 'x-csrf-token': csrf }),
      await patch({ origin: 'https://evil.example', 'x-csrf-token': csrf }),
      await patch({ origin: APP }),
      await patch({ origin: APP, 'x-csrf-token': `${csrf}x` }),
      await patch({ origin: PUBLIC, 'x-csrf-token': 'short' }),
    ];
    expect(refusals.map((r) => [r.status, r.body['code']])).toEqual(Array(5).fill([403, 'GATEWAY_CSRF_FAILED']));
    expect((await call('GET', '/v1/me/preferences', { cookie })).body['timezone']).toBe('UTC');
    expect((await patch({ origin: APP, 'x-csrf-token': csrf })).status).toBe(200);
    expect((await patch({ origin: PUBLIC, 'x-csrf-token': csrf })).body['timezone']).toBe('Asia/Tokyo');
    // A bearer caller is not a browser's ambient credential: no CSRF token needed.
    const bearer = await call('PATCH', '/v1/me/preferences', { token: await s.tokenFor('cy'), body: { tipCadence: 'high' }, type: 'application/merge-patch+json' });
    expect(bearer.status).toBe(200);
  });

  it('answers CORS preflights for WEB_ORIGINS with credentials, and gives other origins nothing', async () => {
    const preflight = (origin: string) => call('OPTIONS', '/v1/me/preferences', { headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'x-csrf-token' } });
    const ok = await preflight(APP);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/X-CSRF-Token/);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('signs out: revokes the session at auth, clears the cookie, and the cookie no longer works', async () => {
    const { cookie, csrf } = await signIn('dee');
    const out = await call('POST', '/v1/auth/sign-out', { cookie, headers: { origin: PUBLIC, 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(setCookies(out.headers).find((c) => c.startsWith('__Host-oo_session='))).toMatch(/Max-Age=0/);
    const after = await call('GET', '/v1/me', { cookie });
    expect(after.status).toBe(401);
    expect(setCookies(after.headers).find((c) => c.startsWith('__Host-oo_session='))).toMatch(/Max-Age=0/);
  });

  it('signs out everywhere: every session of the user ends', async () => {
    const first = await signIn('eve');
    const second = await signIn('eve');
    const out = await call('POST', '/v1/auth/sign-out-everywhere', { cookie: first.cookie, headers: { origin: PUBLIC, 'x-csrf-token': first.csrf } });
    expect(out.status).toBe(204);
    expect((await call('GET', '/v1/me', { cookie: second.cookie })).status).toBe(401);
  });

  it('forgets a cached session when users.revoked says so, so the next request asks auth again', async () => {
    const { cookie } = await signIn('fay');
    await call('GET', '/v1/me', { cookie });
    const before = s.auth.exchanges;
    await call('GET', '/v1/me', { cookie });
    expect(s.auth.exchanges).toBe(before);
    const revoked = create(UserRevokedSchema, { userId: 'fay', revokedBefore: timestampFromDate(new Date()), reason: 'sign_out_everywhere' });
    await s.gateway.publish('users.revoked', revoked, 'fay', { source: 'auth' });
    await eventually(async () => {
      await call('GET', '/v1/me', { cookie });
      return s.auth.exchanges > before ? true : undefined;
    }, 'a new exchange after the revocation');
  });

  it('signs a native app in (RFC 8252) and proxies its token, refresh and sign-out calls', async () => {
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    const authorize = await call('GET', `/v1/auth/authorize?client_id=oo-native&redirect_uri=${encodeURIComponent('http://127.0.0.1:53117/cb')}&code_challenge=${challenge}&code_challenge_method=S256&state=xyz`);
    expect(authorize.status).toBe(302);
    const login = cookieValue(authorize.headers, '__Host-oo_login');
    const back = await call('GET', '/v1/auth/callback?code=ok:nat&state=p', { cookie: `__Host-oo_login=${login}` });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('http://127.0.0.1:53117/cb?code=app-code&state=xyz');
    expect(setCookies(back.headers).some((c) => c.startsWith('__Host-oo_session='))).toBe(false);
    expect((await call('GET', `/v1/auth/authorize?client_id=oo-native&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&code_challenge=${challenge}&code_challenge_method=S256`)).status).toBe(400);

    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const grant = { grant_type: 'authorization_code', code: 'app-code', code_verifier: verifier, redirect_uri: 'http://127.0.0.1:53117/cb', client_id: 'oo-native' };
    const form = await call('POST', '/v1/auth/token', { body: new URLSearchParams(grant).toString(), type: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(200);
    expect(form.headers.get('cache-control')).toBe('no-store');
    expect(form.body).toMatchObject({ token_type: 'Bearer', refresh_token: 'rt:nat' });
    expect((await call('POST', '/v1/auth/token', { body: grant })).status).toBe(200);
    const badGrant = await call('POST', '/v1/auth/token', { body: { ...grant, code: 'used' } });
    expect(badGrant.status).toBe(400);
    expect(badGrant.body).toMatchObject({ error: 'invalid_grant', instance: '/v1/auth/token' });
    expect((await call('POST', '/v1/auth/token', { body: { grant_type: 'client_credentials', client_id: 'x' } })).status).toBe(400);

    const refreshed = await call('POST', '/v1/auth/refresh', { body: { refresh_token: 'rt:nat', client_id: 'oo-native' } });
    expect(refreshed.status).toBe(200);
    const token = refreshed.body['access_token'] as string;
    expect((await call('GET', '/v1/me', { token })).body['id']).toBe('nat');
    expect((await call('POST', '/v1/auth/sign-out', { token })).status).toBe(400);
    expect((await call('POST', '/v1/auth/sign-out', { token, body: { refresh_token: 'rt:nat', client_id: 'oo-native' } })).status).toBe(204);
    expect(s.auth.revokedRefreshTokens).toContain('rt:nat');
  });
});
