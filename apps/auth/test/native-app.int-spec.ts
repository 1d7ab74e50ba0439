import { eventually } from '@oo/testing';
import { pkcePair, startSignInHarness, type SignInHarness } from './support/sign-in-harness';

const REDIRECT = 'http://127.0.0.1:53682/oauth/callback';

// A native app signs in through the system browser with a loopback redirect (RFC 8252) and
// PKCE, then lives on rotated refresh tokens; everything a thief could replay is refused.
describe('auth native apps', () => {
  let t: SignInHarness;

  beforeAll(async () => {
    t = await startSignInHarness('auth-native');
  });
  afterAll(() => t?.stop());

  const nativeRequest = (challenge: string, extra: Record<string, unknown> = {}) => ({
    client: 'native',
    clientId: 'oo-native',
    redirectUri: REDIRECT,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    state: 'app-state-1',
    ...extra,
  });

  /** Signs in as `name` and returns the code the app receives on its loopback redirect. */
  const nativeCode = async (name: string) => {
    const pkce = pkcePair();
    const { answer } = await t.signIn(name, nativeRequest(pkce.challenge));
    expect(answer.status).toBe(200);
    expect(answer.body['kind']).toBe('native');
    const redirectTo = new URL(answer.body['redirectTo'] as string);
    return { pkce, redirectTo, code: redirectTo.searchParams.get('code') ?? '' };
  };
  const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    t.tokenRequest({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: 'oo-native', ...extra });
  const refresh = (refreshToken: string) => t.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'oo-native' });
  const claimsOf = (jwt: unknown) => JSON.parse(Buffer.from(String(jwt).split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

  it('redirects to the loopback URL with a code and the app’s state, and the code with its verifier gives tokens', async () => {
    const { pkce, redirectTo, code } = await nativeCode('Ada');
    expect(`${redirectTo.origin}${redirectTo.pathname}`).toBe(REDIRECT);
    expect(redirectTo.searchParams.get('state')).toBe('app-state-1');
    expect(redirectTo.searchParams.get('iss')).toBe(t.h.ctx.config.AUTH_ISSUER);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await t.h.db.selectFrom('sessions').select('session_id').execute()).toEqual([]);

    const res = await exchange(code, pkce.verifier);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(res.body['expires_in']).toBeLessThanOrEqual(600);
    expect(claimsOf(res.body['access_token'])).toMatchObject({ token_use: 'access', client_id: 'oo-native', sid: expect.any(String) });
  });

  it('refuses a wrong verifier, another redirect_uri and another client', async () => {
    const { pkce, code } = await nativeCode('Bob');
    for (const attempt of [exchange(code, pkcePair().verifier), exchange(code, pkce.verifier, { redirect_uri: 'http://127.0.0.1:1/other' })]) {
      const res = await attempt;
      expect(res.status).toBe(400);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ error: 'invalid_grant' });
    }
    expect((await exchange(code, pkce.verifier, { client_id: 'someone-else' })).body).toMatchObject({ error: 'invalid_client' });
    // None of the refusals used the code up.
    expect((await exchange(code, pkce.verifier)).status).toBe(200);
  });

  it('refuses a replayed code and revokes the tokens the first exchange gave', async () => {
    const { pkce, code } = await nativeCode('Cleo');
    const first = await exchange(code, pkce.verifier);
    expect(first.status).toBe(200);
    const replay = await exchange(code, pkce.verifier);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(first.body['refresh_token'] as string)).body).toMatchObject({ error: 'invalid_grant' });
    const sid = claimsOf(first.body['access_token'])['sid'];
    await eventually(async () => ((await t.h.eventsOn('users.revoked')).some((e) => e.message.sessionId === sid) ? true : undefined), 'users.revoked for the family');
  });

  it('rotates the refresh token on every use', async () => {
    const { pkce, code } = await nativeCode('Dora');
    const first = await exchange(code, pkce.verifier);
    const signedInAt = claimsOf(first.body['access_token'])['auth_time'];
    expect(Math.abs(Number(signedInAt) - t.clock.now().getTime() / 1000)).toBeLessThan(5);
    t.clock.advance(20 * 60_000);
    const second = await refresh(first.body['refresh_token'] as string);
    expect(second.status).toBe(200);
    expect(second.body['refresh_token']).not.toBe(first.body['refresh_token']);
    const third = await refresh(second.body['refresh_token'] as string);
    expect(third.status).toBe(200);
    expect(claimsOf(third.body['access_token'])['sid']).toBe(claimsOf(first.body['access_token'])['sid']);
    // A refresh is not a sign-in: auth_time stays the family's start (a step-up check sees an old sign-in).
    expect(claimsOf(third.body['access_token'])['auth_time']).toBe(signedInAt);
  });

  it('revokes the whole family when a used refresh token comes back, and publishes users.revoked', async () => {
    const { pkce, code } = await nativeCode('Emil');
    const first = await exchange(code, pkce.verifier);
    const stolen = first.body['refresh_token'] as string;
    const legit = await refresh(stolen);
    expect(legit.status).toBe(200);
    const reuse = await refresh(stolen);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant' });
    // The family is gone: the newest token of it is refused as well.
    expect((await refresh(legit.body['refresh_token'] as string)).body).toMatchObject({ error: 'invalid_grant' });
    const sid = claimsOf(first.body['access_token'])['sid'];
    const event = await eventually(async () => (await t.h.eventsOn('users.revoked')).find((e) => e.message.sessionId === sid), 'users.revoked for the reuse');
    expect(event.message).toMatchObject({ userId: claimsOf(first.body['access_token'])['sub'], reason: 'refresh_token_reuse' });
  });

  it('lets only one of two simultaneous uses of a refresh token win', async () => {
    const { pkce, code } = await nativeCode('Finn');
    const first = await exchange(code, pkce.verifier);
    const token = first.body['refresh_token'] as string;
    const results = await Promise.all([refresh(token), refresh(token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it('deletes families that ended and refresh tokens past their expiry when a new family begins', async () => {
    const families = () => t.h.db.selectFrom('refresh_families').select('family_id').execute();
    const old = await nativeCode('Hal');
    await exchange(old.code, old.pkce.verifier);
    const before = (await families()).map((f) => f.family_id);
    // Past every family's absolute age (90 days by default) and every token's expiry.
    t.clock.advance(91 * 86_400_000);
    const fresh = await nativeCode('Ida');
    const tokens = await exchange(fresh.code, fresh.pkce.verifier);
    expect(tokens.status).toBe(200);
    const after = (await families()).map((f) => f.family_id);
    expect(after).toHaveLength(1);
    expect(before.some((id) => after.includes(id))).toBe(false);
    const expired = await t.h.db.selectFrom('refresh_tokens').select('token_hash').where('expires_at', '<=', t.clock.now()).execute();
    expect(expired).toEqual([]);
  });

  it('signs an app out: the family ends, and unknown tokens are fine too (RFC 7009)', async () => {
    const { pkce, code } = await nativeCode('Gus');
    const tokens = await exchange(code, pkce.verifier);
    const body = { refreshToken: tokens.body['refresh_token'], clientId: 'oo-native' };
    expect((await t.gateway('POST', '/internal/v1/refresh-tokens/revoke', body)).status).toBe(204);
    expect((await refresh(tokens.body['refresh_token'] as string)).body).toMatchObject({ error: 'invalid_grant' });
    expect((await t.gateway('POST', '/internal/v1/refresh-tokens/revoke', { refreshToken: 'C'.repeat(43), clientId: 'oo-native' })).status).toBe(204);
  });

  it('refuses a sign-in that is not a registered client, a loopback redirect and S256, naming the field', async () => {
    const { challenge } = pkcePair();
    const cases: [Record<string, unknown>, string][] = [
      [{ clientId: 'unknown-app' }, 'body.clientId'],
      [{ redirectUri: 'http://localhost:53682/cb' }, 'body.redirectUri'],
      [{ redirectUri: 'https://127.0.0.1:53682/cb' }, 'body.redirectUri'],
      [{ redirectUri: 'http://127.0.0.1/cb' }, 'body.redirectUri'],
      [{ redirectUri: 'http://evil.example:53682/cb' }, 'body.redirectUri'],
      [{ codeChallengeMethod: 'plain' }, 'body.codeChallengeMethod'],
      [{ codeChallenge: 'short' }, 'body.codeChallenge'],
    ];
    for (const [change, path] of cases) {
      const res = await t.gateway('POST', '/internal/v1/sign-in', nativeRequest(challenge, change));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'AUTH_INVALID_REQUEST', errors: [expect.objectContaining({ path })] });
    }
    const ipv6 = await t.gateway('POST', '/internal/v1/sign-in', nativeRequest(challenge, { redirectUri: 'http://[::1]:53682/cb' }));
    expect(ipv6.status).toBe(201);
  });
});
