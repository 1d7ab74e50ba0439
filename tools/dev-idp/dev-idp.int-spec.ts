import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startDevIdp, type DevIdp } from './dev-idp';
import { signInAtDevIdp } from './dev-idp-browser';

const CLIENT = { clientId: 'oo-test', clientSecret: 'test-secret', redirectUris: ['http://localhost:8080/v1/auth/callback'] };
const REDIRECT_URI = CLIENT.redirectUris[0] as string;

// 32 bytes: a PKCE verifier has 43 to 128 characters.
const random = () => randomBytes(32).toString('base64url');

interface Attempt {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

function authorizationRequest(idp: DevIdp, overrides: Record<string, string | undefined> = {}): Attempt {
  const verifier = random();
  const state = random();
  const nonce = random();
  const url = new URL('/auth', idp.url);
  const params: Record<string, string | undefined> = {
    client_id: CLIENT.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return { url: url.href, state, nonce, verifier };
}

async function exchange(idp: DevIdp, code: string, verifier: string) {
  const res = await fetch(new URL('/token', idp.url), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the local identity provider', () => {
  let idp: DevIdp;
  const consoleCalls: unknown[][] = [];

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleCalls.push([method, ...args]));
    }
    idp = await startDevIdp({ clients: [CLIENT], onServerError: (error) => consoleCalls.push(['server_error', error]) });
  });

  afterAll(async () => {
    await idp?.stop();
    jest.restoreAllMocks();
  });

  it('publishes a discovery document for the code flow with PKCE S256 only', async () => {
    const res = await fetch(new URL('/.well-known/openid-configuration', idp.url));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/auth`,
      token_endpoint: `${idp.issuer}/token`,
      jwks_uri: `${idp.issuer}/jwks`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(doc['scopes_supported']).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(doc['claims_supported']).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'name']));
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('signs a name in through the code flow with PKCE; the ID token carries who it is', async () => {
    const attempt = authorizationRequest(idp);
    const callback = new URL(await signInAtDevIdp(attempt.url, 'Ada Lovelace'));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(attempt.state);
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    const code = callback.searchParams.get('code');
    expect(code).toEqual(expect.any(String));

    const { status, body } = await exchange(idp, code as string, attempt.verifier);
    expect(status).toBe(200);
    const { payload } = await jwtVerify(body['id_token'] as string, createRemoteJWKSet(new URL('/jwks', idp.url)), {
      issuer: idp.issuer,
      audience: CLIENT.clientId,
    });
    expect(payload).toMatchObject({
      sub: 'dev-ada-lovelace',
      email: 'ada-lovelace@dev.oo.local',
      email_verified: true,
      name: 'Ada Lovelace',
      nonce: attempt.nonce,
    });
  });

  it('gives the same name the same subject on every sign-in', async () => {
    const subjects: unknown[] = [];
    for (const name of ['grace', 'Grace']) {
      const attempt = authorizationRequest(idp);
      const code = new URL(await signInAtDevIdp(attempt.url, name)).searchParams.get('code') as string;
      const { body } = await exchange(idp, code, attempt.verifier);
      subjects.push(JSON.parse(Buffer.from((body['id_token'] as string).split('.')[1] as string, 'base64url').toString()).sub);
    }
    expect(subjects).toEqual(['dev-grace', 'dev-grace']);
  });

  it('refuses a code exchanged without its PKCE verifier, or a second time', async () => {
    const attempt = authorizationRequest(idp);
    const code = new URL(await signInAtDevIdp(attempt.url, 'eve')).searchParams.get('code') as string;
    expect(await exchange(idp, code, random())).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const again = authorizationRequest(idp);
    const code2 = new URL(await signInAtDevIdp(again.url, 'eve')).searchParams.get('code') as string;
    expect((await exchange(idp, code2, again.verifier)).status).toBe(200);
    expect(await exchange(idp, code2, again.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('requires PKCE with S256', async () => {
    for (const overrides of [{ code_challenge: undefined, code_challenge_method: undefined }, { code_challenge_method: 'plain' }]) {
      const callback = new URL(await signInAtDevIdp(authorizationRequest(idp, overrides).url, 'mallory'));
      expect(callback.searchParams.get('error')).toBe('invalid_request');
      expect(callback.searchParams.get('code')).toBeNull();
    }
  });

  it('sends the client access_denied when the person cancels', async () => {
    const attempt = authorizationRequest(idp);
    const callback = new URL(await signInAtDevIdp(attempt.url, 'ada', { action: 'cancel' }));
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(attempt.state);
  });

  it('shows a labelled name field, and asks again for an empty name', async () => {
    const start = await fetch(authorizationRequest(idp).url, { redirect: 'manual' });
    const cookie = start.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const pageUrl = new URL(start.headers.get('location') as string, idp.url);
    const page = await fetch(pageUrl, { headers: { cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<label for="name">Name<\/label>/);
    expect(html).toMatch(/<input id="name" name="name"/);
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);

    const empty = await fetch(new URL(`${pageUrl.pathname}/login`, idp.url), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=+',
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/role="alert">Enter a name/);
  });

  it('makes the browser helper fail loudly on an error page (unknown redirect URI)', async () => {
    const attempt = authorizationRequest(idp, { redirect_uri: 'http://evil.example/callback' });
    await expect(signInAtDevIdp(attempt.url, 'ada')).rejects.toThrow(/400.*redirect_uri/);
  });

  it('says nothing on the console', () => {
    expect(consoleCalls).toEqual([]);
  });
});

describe('startDevIdp options', () => {
  it('listens on the port it is given, under the issuer it is given', async () => {
    const first = await startDevIdp({ clients: [CLIENT] });
    const port = Number(new URL(first.url).port);
    await first.stop();
    const idp = await startDevIdp({ port, issuer: `http://localhost:${port}`, clients: [CLIENT] });
    try {
      expect(idp.url).toBe(`http://127.0.0.1:${port}`);
      const doc = (await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(doc.issuer).toBe(`http://localhost:${port}`);
    } finally {
      await idp.stop();
    }
  });

  it('refuses an issuer with a path', async () => {
    await expect(startDevIdp({ issuer: 'http://127.0.0.1:1/idp', clients: [CLIENT] })).rejects.toThrow(/has a path/);
  });
});
