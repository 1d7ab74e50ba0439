import { startSignInHarness, type SignInHarness } from './support/sign-in-harness';

// A web sign-in through the real local identity provider, as the gateway drives it, and every
// way the callback can fail: each is a 400 problem+json and leaves no session behind.
describe('auth sign-in', () => {
  let t: SignInHarness;
  const sessionRows = () => t.h.db.selectFrom('sessions').select('session_id').execute();

  beforeAll(async () => {
    t = await startSignInHarness('auth-sign-in', { ADMIN_SUBJECTS: 'dev-grace' });
  });
  afterAll(() => t?.stop());

  it('starts a sign-in with an attempt id and the provider’s authorization URL', async () => {
    const res = await t.gateway('POST', '/internal/v1/sign-in', { client: 'web', returnTo: '/tips?from=mail' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ attemptId: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), authorizationUrl: expect.stringContaining(t.idp.issuer), expiresAt: expect.any(String) });
    const url = new URL(res.body['authorizationUrl'] as string);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8080/v1/auth/callback');
    // Only the attempt id's digest is stored.
    const stored = await t.h.db.selectFrom('login_attempts').select('attempt_hash').execute();
    expect(stored.map((r) => r.attempt_hash.toString('base64url'))).not.toContain(res.body['attemptId']);
  });

  it('signs a person in: a new session, an access token for it, and sign-out ends it', async () => {
    const { answer } = await t.signIn('Ada', { client: 'web', returnTo: '/tips?from=mail' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      kind: 'web',
      returnTo: '/tips?from=mail',
      session: {
        sessionToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        csrfToken: expect.any(String),
        absoluteExpiresAt: expect.any(String),
        idleTimeoutSec: 7 * 24 * 3600,
      },
    });
    const session = answer.body['session'] as { sessionToken: string; sessionId: string; csrfToken: string };

    const token = await t.gateway('POST', '/internal/v1/sessions/access-token', { sessionToken: session.sessionToken });
    expect(token.status).toBe(200);
    expect(token.body).toEqual({ accessToken: expect.any(String), expiresAt: expect.any(String), userId: expect.any(String), sessionId: session.sessionId, csrfToken: session.csrfToken });
    const claims = JSON.parse(Buffer.from((token.body['accessToken'] as string).split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: token.body['userId'], sid: session.sessionId, token_use: 'access', roles: [] });

    expect((await t.gateway('POST', '/internal/v1/sessions/revoke', { sessionToken: session.sessionToken })).status).toBe(204);
    const after = await t.gateway('POST', '/internal/v1/sessions/access-token', { sessionToken: session.sessionToken });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'AUTH_SESSION_NOT_FOUND' });
  });

  it('makes a new session on every sign-in of the same person, and a user only the first time', async () => {
    const first = await t.webSession('Bob');
    const second = await t.webSession('bob');
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second.sessionToken).not.toBe(first.sessionToken);
    const users = await t.h.db.selectFrom('identities').select('user_id').where('subject', '=', 'dev-bob').execute();
    expect(users).toHaveLength(1);
  });

  it('gives admin to a subject listed in ADMIN_SUBJECTS', async () => {
    const session = await t.webSession('Grace');
    const token = await t.gateway('POST', '/internal/v1/sessions/access-token', { sessionToken: session.sessionToken });
    const claims = JSON.parse(Buffer.from((token.body['accessToken'] as string).split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims['roles']).toEqual(['admin']);
  });

  describe('a callback that fails is 400 AUTH_SIGN_IN_FAILED and makes no session', () => {
    const expectFailed = async (body: unknown) => {
      const before = (await sessionRows()).length;
      const res = await t.gateway('POST', '/internal/v1/sign-in/callback', body);
      expect(res.status).toBe(400);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'AUTH_SIGN_IN_FAILED' });
      expect(await sessionRows()).toHaveLength(before);
      return res;
    };
    const startAttempt = async () => {
      const res = await t.gateway('POST', '/internal/v1/sign-in', { client: 'web' });
      return { attemptId: res.body['attemptId'] as string, authorizationUrl: res.body['authorizationUrl'] as string };
    };

    it('without an attempt id (no login cookie)', async () => {
      const { authorizationUrl } = await startAttempt();
      await expectFailed({ callbackUrl: await t.atProvider(authorizationUrl, 'Cleo') });
    });

    it('with an unknown attempt id', async () => {
      const { authorizationUrl } = await startAttempt();
      await expectFailed({ attemptId: 'A'.repeat(43), callbackUrl: await t.atProvider(authorizationUrl, 'Cleo') });
    });

    it('when the callback is replayed', async () => {
      const { attemptId, callbackUrl, answer } = await t.signIn('Dora');
      expect(answer.status).toBe(200);
      await expectFailed({ attemptId, callbackUrl });
    });

    it('when the attempt expired', async () => {
      const { attemptId, authorizationUrl } = await startAttempt();
      const callbackUrl = await t.atProvider(authorizationUrl, 'Emil');
      t.clock.advance(10 * 60_000 + 1000);
      await expectFailed({ attemptId, callbackUrl });
    });

    it('when the callback belongs to another attempt (state mismatch)', async () => {
      const mine = await startAttempt();
      const theirs = await startAttempt();
      const theirCallback = await t.atProvider(theirs.authorizationUrl, 'Mallory');
      await expectFailed({ attemptId: mine.attemptId, callbackUrl: theirCallback });
    });

    it('when the provider answers with an error', async () => {
      const { attemptId, authorizationUrl } = await startAttempt();
      const state = new URL(authorizationUrl).searchParams.get('state') ?? '';
      await expectFailed({ attemptId, callbackUrl: `http://127.0.0.1:8080/v1/auth/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(t.idp.issuer)}` });
    });

    it('when the code was tampered with', async () => {
      const { attemptId, authorizationUrl } = await startAttempt();
      const callback = new URL(await t.atProvider(authorizationUrl, 'Finn'));
      callback.searchParams.set('code', 'forged-code');
      await expectFailed({ attemptId, callbackUrl: callback.toString() });
    });

    it('without a state in the callback', async () => {
      const { attemptId, authorizationUrl } = await startAttempt();
      const callback = new URL(await t.atProvider(authorizationUrl, 'Gus'));
      callback.searchParams.delete('state');
      await expectFailed({ attemptId, callbackUrl: callback.toString() });
    });

    // The next two change what the browser carries to the provider, as an attacker in the middle
    // could: the ID token then names another nonce, or the code is bound to another PKCE challenge.
    const alteredAuthorization = (authorizationUrl: string, param: string, value: string) => {
      const url = new URL(authorizationUrl);
      url.searchParams.set(param, value);
      return url.toString();
    };

    it('when the ID token carries another nonce', async () => {
      const { attemptId, authorizationUrl } = await startAttempt();
      const res = await expectFailed({ attemptId, callbackUrl: await t.atProvider(alteredAuthorization(authorizationUrl, 'nonce', 'a-nonce-of-the-attacker'), 'Hana') });
      expect(res.body['detail']).toMatch(/nonce/i);
    });

    it('when the PKCE verifier does not match the challenge the code is bound to', async () => {
      const { attemptId, authorizationUrl } = await startAttempt();
      const otherChallenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
      await expectFailed({ attemptId, callbackUrl: await t.atProvider(alteredAuthorization(authorizationUrl, 'code_challenge', otherChallenge), 'Ivo') });
    });

    it('when the callback URL is not a URL', async () => {
      const { attemptId } = await startAttempt();
      await expectFailed({ attemptId, callbackUrl: 'not a url' });
    });
  });

  it('answers 503 AUTH_PROVIDER_UNAVAILABLE when the provider fails the code exchange, and makes no session', async () => {
    let failing = false;
    t.idp.provider.use(async (koa, next) => {
      if (failing && koa.path === '/token') {
        koa.status = 500;
        koa.body = { error: 'server_error' };
        return;
      }
      await next();
    });
    const started = await t.gateway('POST', '/internal/v1/sign-in', { client: 'web' });
    const callbackUrl = await t.atProvider(started.body['authorizationUrl'] as string, 'Gus');
    const before = (await sessionRows()).length;
    failing = true;
    const res = await t.gateway('POST', '/internal/v1/sign-in/callback', { attemptId: started.body['attemptId'], callbackUrl });
    failing = false;
    expect(res.status).toBe(503);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'AUTH_PROVIDER_UNAVAILABLE' });
    expect(await sessionRows()).toHaveLength(before);
  });

  it('refuses a returnTo that leaves the site, naming the field', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'tips']) {
      const res = await t.gateway('POST', '/internal/v1/sign-in', { client: 'web', returnTo });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'AUTH_INVALID_REQUEST', errors: [expect.objectContaining({ path: 'body.returnTo' })] });
    }
  });

  it('answers only the gateway: no token is 401, a person’s or another service’s is 403', async () => {
    expect((await t.h.call('POST', '/internal/v1/sign-in', null, { client: 'web' })).status).toBe(401);
    expect((await t.h.call('POST', '/internal/v1/sign-in', 'ada', { client: 'web' })).status).toBe(403);
    expect((await t.h.call('POST', '/internal/v1/sign-in', { token: await t.h.serviceToken('profile') }, { client: 'web' })).status).toBe(403);
  });
});
