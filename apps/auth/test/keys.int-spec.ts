import { randomBytes } from 'node:crypto';
import { compactDecrypt, decodeJwt, decodeProtectedHeader } from 'jose';
import { createJwtVerifier } from '@oo/http';
import { startServiceHarness } from '@oo/service-testing';
import { authService } from '../src/service';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Real time plus an offset the test moves: rotation is a matter of days.
const offsetClock = () => {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => void (offset += ms), set: (at: Date) => void (offset = at.getTime() - Date.now()) };
};

// The identity provider is not reached by anything here: sign-in is tested elsewhere.
const authEnv = (kek: string) => ({
  OIDC_ISSUER_URL: 'http://127.0.0.1:9/unused-idp',
  OIDC_CLIENT_ID: 'unused',
  OIDC_CLIENT_SECRET: 'unused',
  OIDC_ALLOW_HTTP: 'true',
  AUTH_KEY_ENCRYPTION_KEY: kek,
});

function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}

interface Jwk {
  kid: string;
  alg?: string;
  use?: string;
  kty?: string;
  d?: string;
}

describe('auth signing keys', () => {
  const clock = offsetClock();
  const kek = randomBytes(32).toString('base64url');
  const start = () => startServiceHarness(authService, { label: 'auth-keys', clock: clock.now, env: authEnv(kek) });
  let h: Awaited<ReturnType<typeof start>>;

  const jwks = async () => {
    const res = await fetch(`${h.baseUrl}/.well-known/jwks.json`);
    return { res, keys: ((await res.json()) as { keys: Jwk[] }).keys };
  };
  // @oo/http's verifier as every service builds it, fresh each time so no JWKS cache hides a change.
  const verifyAtJwks = (token: string) =>
    createJwtVerifier({ issuer: h.auth.issuer, jwksUrl: `${h.baseUrl}/.well-known/jwks.json`, now: clock.now, cacheSize: 0 }).verify(token);
  const storedKeys = () => h.db.selectFrom('signing_keys').selectAll().orderBy('signs_from').execute();
  const mint = () => h.ctx.tokens.mintAccessToken({ userId: 'ada', roles: ['admin'], sessionId: '7d1c3f0e-8a9b-4c2d-9e1f-0a1b2c3d4e5f', authTime: clock.now() });

  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h?.stop());

  it('publishes the signing key and the next one, public parts only, cacheable for five minutes', async () => {
    const { res, keys } = await jwks();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
      expect(key.d).toBeUndefined();
    }
    const rows = await storedKeys();
    expect(rows.map((r) => r.kid).sort()).toEqual(keys.map((k) => k.kid).sort());
    const [current, next] = [present(rows[0], 'the signing key'), present(rows[1], 'the next key')];
    // The very first key signs at once; the next is published at least PUBLISH_AHEAD before it signs.
    expect(current.signs_from.getTime()).toBe(current.created_at.getTime());
    expect(next.signs_from.getTime() - next.created_at.getTime()).toBeGreaterThanOrEqual(HOUR);
  });

  it('mints access tokens that @oo/http’s verifier accepts at the JWKS', async () => {
    const { token, expiresAt } = await mint();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: h.ctx.keys.activeKey().kid, typ: 'at+jwt' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: h.auth.issuer, aud: 'oo', sub: 'ada', token_use: 'access', roles: ['admin'], sid: '7d1c3f0e-8a9b-4c2d-9e1f-0a1b2c3d4e5f', jti: expect.any(String) });
    const exp = present(claims.exp, 'exp');
    expect(exp - present(claims.iat, 'iat')).toBeLessThanOrEqual(10 * 60);
    expect(expiresAt.getTime()).toBe(exp * 1000);
    expect(await verifyAtJwks(token)).toMatchObject({ userId: 'ada', isAdmin: true });
  });

  it('mints service tokens for a client', async () => {
    const { token } = await h.ctx.tokens.mintServiceToken('gateway');
    expect(decodeJwt(token)).toMatchObject({ sub: 'gateway', token_use: 'service' });
    expect(await verifyAtJwks(token)).toMatchObject({ service: 'gateway', isAdmin: false });
  });

  it('keeps private keys encrypted at rest', async () => {
    const rows = await storedKeys();
    for (const row of rows) {
      expect(row.public_jwk['d']).toBeUndefined();
      expect(row.private_jwe.split('.')).toHaveLength(5);
      expect(decodeProtectedHeader(row.private_jwe)).toMatchObject({ alg: 'dir', enc: 'A256GCM', kid: row.kid });
      const { plaintext } = await compactDecrypt(row.private_jwe, Buffer.from(kek, 'base64url'));
      const secret = JSON.parse(new TextDecoder().decode(plaintext)) as Jwk;
      expect(secret.d).toEqual(expect.any(String));
      expect(row.private_jwe).not.toContain(secret.d);
    }
  });

  it('refuses to start with a wrong AUTH_KEY_ENCRYPTION_KEY, saying so', async () => {
    const wrong = randomBytes(32).toString('base64url');
    await expect(h.startInstance({ env: { AUTH_KEY_ENCRYPTION_KEY: wrong } })).rejects.toMatchObject({
      code: 'AUTH_SIGNING_KEY_UNAVAILABLE',
      message: expect.stringContaining('AUTH_KEY_ENCRYPTION_KEY'),
    });
  });

  it('rotates on schedule: the next key signs from signs_from, old tokens stay valid until they expire', async () => {
    const rows = await storedKeys();
    const [first, second] = [present(rows[0], 'the signing key'), present(rows[1], 'the next key')];
    clock.set(new Date(second.signs_from.getTime() - MINUTE));
    await h.ctx.keys.check();
    const before = await mint();
    expect(decodeProtectedHeader(before.token).kid).toBe(first.kid);

    clock.set(new Date(second.signs_from.getTime() + MINUTE));
    await h.ctx.keys.check();
    const after = await mint();
    expect(decodeProtectedHeader(after.token).kid).toBe(second.kid);
    const { keys } = await jwks();
    expect(keys.map((k) => k.kid)).toEqual(expect.arrayContaining([first.kid, second.kid]));
    expect(keys).toHaveLength(3);
    expect(await verifyAtJwks(before.token)).toMatchObject({ userId: 'ada' });
    expect(await verifyAtJwks(after.token)).toMatchObject({ userId: 'ada' });

    const retired = present((await storedKeys()).find((r) => r.kid === first.kid), 'the retired key');
    expect(retired.retired_at?.getTime()).toBe(second.signs_from.getTime());
    const leavesJwksAt = present(retired.expires_at, 'expires_at');
    expect(leavesJwksAt.getTime()).toBeGreaterThanOrEqual(before.expiresAt.getTime());
    clock.set(new Date(leavesJwksAt.getTime() + MINUTE));
    await h.ctx.keys.check();
    expect((await jwks()).keys.map((k) => k.kid)).not.toContain(first.kid);
    await expect(verifyAtJwks(before.token)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
  });

  it('rotates at once on request: the next key takes over and a new next key is published', async () => {
    const old = await mint();
    const oldKid = decodeProtectedHeader(old.token).kid;
    const published = (await jwks()).keys.map((k) => k.kid);
    await h.ctx.keys.rotate();
    const fresh = await mint();
    const freshKid = decodeProtectedHeader(fresh.token).kid;
    expect(freshKid).not.toBe(oldKid);
    expect(published).toContain(freshKid);
    const now = (await jwks()).keys.map((k) => k.kid);
    expect(now).toEqual(expect.arrayContaining([oldKid, freshKid]));
    expect(now).toHaveLength(published.length + 1);
    expect(await verifyAtJwks(old.token)).toMatchObject({ userId: 'ada' });
    expect(await verifyAtJwks(fresh.token)).toMatchObject({ userId: 'ada' });
  });

  it('makes one key set when several instances check an empty table at once', async () => {
    const other = await h.startInstance();
    await h.db.deleteFrom('signing_keys').execute();
    await Promise.all([h.ctx.keys.check(), other.ctx.keys.check(), h.ctx.keys.check(), other.ctx.keys.check()]);
    const rows = await storedKeys();
    expect(rows).toHaveLength(2);
    const signing = present(rows[0], 'the signing key').kid;
    const [a, b] = [await h.ctx.tokens.mintServiceToken('gateway'), await other.ctx.tokens.mintServiceToken('gateway')];
    expect(decodeProtectedHeader(a.token).kid).toBe(signing);
    expect(decodeProtectedHeader(b.token).kid).toBe(signing);
    expect(await verifyAtJwks(b.token)).toMatchObject({ service: 'gateway' });
  });
});
