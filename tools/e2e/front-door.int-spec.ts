// The front door end to end: every service as its own process on real Postgres and JetStream,
// the local identity provider, and clients that know only the gateway's public address — a
// browser with a cookie jar and a native app with PKCE and a loopback redirect.
import { SignJWT } from 'jose';
import { createApiClient } from '@oo/api-client';
import { eventually, testDatabaseUrl } from '@oo/testing';
import { signInAtDevIdp } from '../dev-idp/dev-idp-browser';
import { DEV_ADMIN_NAME } from '../system/dev-identity';
import { DEV_TOOLS_CLIENT_ID, type DevSession } from '../system/dev-sign-in';
import type { RunningSystem } from '../system/launch-system';
import { launchTestSystem } from './e2e-support';
import { createBrowser, currentSigningKey, forgeToken, unsignedToken, type Browser } from './front-door-support';

jest.setTimeout(180_000);

let system: RunningSystem & { prefix: string };
let gateway: string;

beforeAll(async () => {
  system = await launchTestSystem('e2e_door');
  gateway = system.identity.publicUrl;
});

afterAll(() => system?.stop());

const json = (res: Response) => res.json() as Promise<Record<string, unknown>>;
const bearer = (token: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function webSignIn(browser: Browser, name: string): Promise<{ csrfToken: string; setCookie: string }> {
  const start = await browser.request(`${gateway}/v1/auth/sign-in?return_to=/`);
  expect(start.status).toBe(302);
  const callbackUrl = await signInAtDevIdp(start.headers.get('location') as string, name);
  const back = await browser.request(callbackUrl);
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe('/');
  const setCookie = back.headers.getSetCookie().find((c) => c.startsWith('__Host-oo_session=')) ?? '';
  const session = await browser.request(`${gateway}/v1/auth/session`);
  expect(session.status).toBe(200);
  return { csrfToken: (await json(session))['csrfToken'] as string, setCookie };
}

describe('a web sign-in', () => {
  const browser = createBrowser();
  let csrf: Record<string, string>;

  it('goes from the login page to a session cookie', async () => {
    const { csrfToken, setCookie } = await webSignIn(browser, 'web-ada');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    csrf = { origin: gateway, 'x-csrf-token': csrfToken };
    const me = await browser.request(`${gateway}/v1/me`);
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ id: expect.any(String), email: 'web-ada@dev.oo.local' });
  });

  it('gets a tip and gives feedback, and refuses writes without the CSRF token or from another origin', async () => {
    const tip = await browser.request(`${gateway}/v1/tips`, postJson({}, csrf));
    expect(tip.status).toBe(200);
    const { decisionId } = await json(tip);
    expect(decisionId).toEqual(expect.any(String));
    const withoutToken = await browser.request(`${gateway}/v1/tips/${decisionId}/feedback`, postJson({ reaction: 'done' }, { origin: gateway }));
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.headers.get('content-type')).toMatch(/problem\+json/);
    const elsewhere = await browser.request(`${gateway}/v1/tips/${decisionId}/feedback`, postJson({ reaction: 'done' }, { ...csrf, origin: 'https://evil.example' }));
    expect(elsewhere.status).toBe(403);
    const feedback = await browser.request(`${gateway}/v1/tips/${decisionId}/feedback`, postJson({ reaction: 'done' }, csrf));
    expect(feedback.status).toBe(202);
  });

  it('ends with sign-out: the old cookie no longer works', async () => {
    const cookie = await browser.cookie(gateway, '__Host-oo_session');
    const out = await browser.request(`${gateway}/v1/auth/sign-out`, { method: 'POST', headers: csrf });
    expect(out.status).toBe(204);
    const replayed = await fetch(`${gateway}/v1/me`, { headers: { cookie: `__Host-oo_session=${cookie}` } });
    expect(replayed.status).toBe(401);
  });
});

describe('a native app', () => {
  const refresh = (refreshToken: string) => fetch(`${gateway}/v1/auth/refresh`, postJson({ refresh_token: refreshToken, client_id: DEV_TOOLS_CLIENT_ID }));

  it('signs in with PKCE and a loopback redirect, rotates its refresh token, and a reuse revokes the family', async () => {
    const app = await system.signIn('native-bea');
    expect((await fetch(`${gateway}/v1/me`, bearer(app.accessToken))).status).toBe(200);
    const rotated = await refresh(app.refreshToken);
    expect(rotated.status).toBe(200);
    const next = (await json(rotated)) as { access_token: string; refresh_token: string };
    expect(next.refresh_token).not.toBe(app.refreshToken);

    const reuse = await refresh(app.refreshToken);
    expect(reuse.status).toBe(400);
    expect(await json(reuse)).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(next.refresh_token)).status).toBe(400);
    // users.revoked reaches every process: the family's access tokens stop working too.
    await eventually(async () => ((await fetch(`${gateway}/v1/me`, bearer(next.access_token))).status === 401 ? true : undefined), 'the revoked access token to be refused', 10_000, 100);
  });
});

describe('tokens that are not ours or not right', () => {
  let bea: DevSession;
  const targets = () => [`${gateway}/v1/me`, `${system.url('profile')}/v1/profiles/${bea.userId}/features`];

  beforeAll(async () => {
    bea = await system.signIn('jwt-bea');
  });

  it('are refused with 401 problem+json at the gateway and at a service', async () => {
    const auth = system.identity.envFor('auth');
    const signing = await currentSigningKey(testDatabaseUrl(), `${system.prefix}_auth`, auth['AUTH_KEY_ENCRYPTION_KEY'] as string);
    const now = Math.floor(Date.now() / 1000);
    const good = { sub: bea.userId, iss: auth['AUTH_ISSUER'] };
    const [header = '', , signature = ''] = bea.accessToken.split('.');
    const jwks = (await (await fetch(`${system.url('auth')}/.well-known/jwks.json`)).json()) as { keys: object[] };
    const cases: Record<string, string> = {
      'alg none': unsignedToken({ ...good, aud: 'oo', token_use: 'access', iat: now, exp: now + 300 }),
      'HS256 with the public key': await new SignJWT({ ...good, aud: 'oo', token_use: 'access' })
        .setProtectedHeader({ alg: 'HS256', kid: signing.kid })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0]))),
      'wrong iss': await forgeToken(signing, { ...good, iss: 'https://issuer.example' }),
      'wrong aud': await forgeToken(signing, { ...good, aud: 'someone-else' }),
      expired: await forgeToken(signing, { ...good, iat: now - 900, exp: now - 300 }),
      'not yet valid': await forgeToken(signing, { ...good, nbf: now + 600, exp: now + 900 }),
      'tampered payload': `${header}.${Buffer.from(JSON.stringify({ ...good, sub: 'someone-else', aud: 'oo', token_use: 'access', iat: now, exp: now + 300 })).toString('base64url')}.${signature}`,
      'unknown kid': await forgeToken(signing, good, { kid: 'not-a-key-of-ours' }),
      'a refresh token': bea.refreshToken,
    };
    for (const [name, token] of Object.entries(cases)) {
      for (const url of targets()) {
        const res = await fetch(url, bearer(token));
        expect({ name, url, status: res.status, type: res.headers.get('content-type') }).toEqual({ name, url, status: 401, type: expect.stringMatching(/problem\+json/) });
      }
    }
    for (const url of targets()) expect((await fetch(url, bearer(bea.accessToken))).status).toBe(200);
  });
});

describe('an app on the generated client (@oo/api-client)', () => {
  it('changes only what a merge patch names, and gets 404 for another user’s ids, never their data', async () => {
    const [ada, bob] = await Promise.all(['ids-ada', 'ids-bob'].map((name) => system.signIn(name)));
    const adaApi = createApiClient({ baseUrl: gateway, accessToken: ada?.accessToken });
    const bobApi = createApiClient({ baseUrl: gateway, accessToken: bob?.accessToken });
    expect((await adaApi.PUT('/v1/me/preferences', { body: { timezone: 'Europe/Berlin', locale: null, quietHours: { start: '22:00', end: '07:00' }, channels: ['in_app', 'email'], tipCadence: 'normal' } })).response.status).toBe(200);
    const patched = await adaApi.PATCH('/v1/me/preferences', { body: { timezone: 'America/New_York' } });
    expect(patched.data).toMatchObject({ timezone: 'America/New_York', quietHours: { start: '22:00', end: '07:00' }, channels: ['in_app', 'email'], tipCadence: 'normal' });

    const { data: tip } = await adaApi.POST('/v1/tips');
    const decisionId = tip?.decisionId ?? '';
    expect(decisionId).not.toBe('');
    const stolen = await bobApi.POST('/v1/tips/{id}/feedback', { params: { path: { id: decisionId } }, body: { reaction: 'done' } });
    expect(stolen.response.status).toBe(404);
    const history = await bobApi.GET('/v1/tips/history');
    expect(history.response.status).toBe(200);
    expect(JSON.stringify(history.data)).not.toContain(decisionId);
  });
});

describe('signing-key rotation', () => {
  it('fails no request of clients that hold tokens, and the new key’s tokens work everywhere', async () => {
    const admin = await system.signIn(DEV_ADMIN_NAME);
    const holders = await Promise.all(['rot-ada', 'rot-bob'].map((name) => system.signIn(name)));
    const browser = createBrowser();
    await webSignIn(browser, 'rot-web');
    let running = true;
    const failures: string[] = [];
    const load = (async () => {
      while (running) {
        for (const holder of holders) {
          const res = await fetch(`${gateway}/v1/me/features`, bearer(holder.accessToken));
          if (res.status !== 200) failures.push(`bearer ${res.status}`);
        }
        const web = await browser.request(`${gateway}/v1/me`);
        if (web.status !== 200) failures.push(`cookie ${web.status}`);
      }
    })();
    const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()) as { kid: string }).kid;
    try {
      const rotated = await fetch(`${gateway}/v1/admin/keys/rotate`, bearer(admin.accessToken, { method: 'POST' }));
      expect(rotated.status).toBe(200);
      const fresh = await system.signIn('rot-new');
      expect(kidOf(fresh.accessToken)).not.toBe(kidOf(holders[0]?.accessToken as string));
      // Services have never seen the new kid: they fetch the JWKS again and accept it.
      expect((await fetch(`${system.url('profile')}/v1/profiles/${fresh.userId}/features`, bearer(fresh.accessToken))).status).toBe(200);
      expect((await fetch(`${gateway}/v1/tips`, bearer(fresh.accessToken, postJson({})))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      running = false;
      await load;
    }
    expect(failures).toEqual([]);
  });
});
