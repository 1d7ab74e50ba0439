import { createTokenFactory, ISSUER } from '../test/token-factory';
import { createJwtVerifier } from './jwt-verifier';
import { RevocationList } from './revocation-list';
import { VerifiedTokenCache } from './verified-token-cache';

describe('createJwtVerifier with its verified-token cache', () => {
  it('answers a repeated token from the cache until exp, then rejects it as expired', async () => {
    const tokens = await createTokenFactory();
    let now = new Date();
    const verifier = createJwtVerifier({ issuer: ISSUER, jwks: tokens.jwks, clockToleranceSec: 0, now: () => now });
    const exp = Math.floor(now.getTime() / 1000) + 60;
    const token = await tokens.sign({ expiresAt: exp, claims: { sub: 'ana', roles: ['admin'] } });

    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toBe(first); // the same object: no second signature check
    expect(first).toMatchObject({ userId: 'ana', isAdmin: true });

    now = new Date(exp * 1000 + 1);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
  });

  it('never caches a rejected token', async () => {
    const tokens = await createTokenFactory();
    const verifier = createJwtVerifier({ issuer: ISSUER, jwks: tokens.jwks });
    const forged = await tokens.sign({ key: tokens.otherKey });
    await expect(verifier.verify(forged)).rejects.toThrow();
    await expect(verifier.verify(forged)).rejects.toThrow();
  });
});

describe('revocation', () => {
  const nowSec = Math.floor(Date.now() / 1000);

  it("refuses the user's tokens issued before revokedBefore, cached ones too, and accepts later ones and other users'", async () => {
    const tokens = await createTokenFactory();
    const verifier = createJwtVerifier({ issuer: ISSUER, jwks: tokens.jwks });
    const old = await tokens.sign({ issuedAt: nowSec - 60, claims: { sub: 'ana' } });
    const other = await tokens.sign({ issuedAt: nowSec - 60, claims: { sub: 'bo' } });
    await verifier.verify(old); // now in the cache
    verifier.revoke({ userId: 'ana', revokedBefore: new Date((nowSec - 30) * 1000) });
    await expect(verifier.verify(old)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN', message: 'the token has been revoked' });
    await expect(verifier.verify(other)).resolves.toMatchObject({ userId: 'bo' });
    await expect(verifier.verify(await tokens.sign({ issuedAt: nowSec - 10, claims: { sub: 'ana' } }))).resolves.toMatchObject({ userId: 'ana' });
  });

  it("with a session id, refuses only that session's tokens", async () => {
    const tokens = await createTokenFactory();
    const verifier = createJwtVerifier({ issuer: ISSUER, jwks: tokens.jwks });
    const phone = await tokens.sign({ issuedAt: nowSec - 60, claims: { sub: 'ana', sid: 'web-1' } });
    const laptop = await tokens.sign({ issuedAt: nowSec - 60, claims: { sub: 'ana', sid: 'web-2' } });
    const noSession = await tokens.sign({ issuedAt: nowSec - 60, claims: { sub: 'ana' } });
    verifier.revoke({ userId: 'ana', revokedBefore: new Date(nowSec * 1000), sessionId: 'web-1' });
    await expect(verifier.verify(phone)).rejects.toMatchObject({ message: 'the token has been revoked' });
    await expect(verifier.verify(laptop)).resolves.toMatchObject({ userId: 'ana' });
    await expect(verifier.verify(noSession)).resolves.toMatchObject({ userId: 'ana' });
  });

  it('forgets a revocation once every token it could match has expired', () => {
    const list = new RevocationList(3_600_000);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    list.add({ userId: 'ana', revokedBefore: new Date(t0) }, t0);
    list.add({ userId: 'bo', revokedBefore: new Date(t0), sessionId: 's' }, t0);
    list.add({ userId: 'cy', revokedBefore: new Date(t0 - 3_600_000) }, t0); // nothing left to match
    expect(list.size).toBe(2);
    expect(list.isRevoked('ana', t0 / 1000 - 1, undefined, t0 + 3_599_000)).toBe(true);
    list.add({ userId: 'dee', revokedBefore: new Date(t0 + 3_600_000) }, t0 + 3_600_001);
    expect(list.size).toBe(1);
    expect(list.isRevoked('ana', t0 / 1000 - 1, undefined, t0 + 3_600_001)).toBe(false);
  });
});

describe('VerifiedTokenCache', () => {
  it('stays within its size by dropping the oldest entry', () => {
    const cache = new VerifiedTokenCache<number>(2);
    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    cache.set('c', 3, 1000);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([undefined, 2, 3]);
    expect(cache.get('b', 1000)).toBeUndefined();
  });

  it('reads auth_time as the moment of sign-in, and refuses one that is not a number', async () => {
    const tokens = await createTokenFactory();
    const verifier = createJwtVerifier({ issuer: ISSUER, jwks: tokens.jwks, cacheSize: 0 });
    const signedIn = Math.floor(Date.now() / 1000) - 300;
    expect(await verifier.verify(await tokens.sign({ claims: { sub: 'ana', auth_time: signedIn } }))).toMatchObject({ authTime: new Date(signedIn * 1000) });
    expect((await verifier.verify(await tokens.sign({ claims: { sub: 'ana' } }))).authTime).toBeUndefined();
    await expect(verifier.verify(await tokens.sign({ claims: { sub: 'ana', auth_time: 'yesterday' } }))).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
  });
});
