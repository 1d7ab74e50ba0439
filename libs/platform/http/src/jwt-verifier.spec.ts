import { createTokenFactory, ISSUER } from '../test/token-factory';
import { createJwtVerifier } from './jwt-verifier';
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

describe('VerifiedTokenCache', () => {
  it('stays within its size by dropping the oldest entry', () => {
    const cache = new VerifiedTokenCache<number>(2);
    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    cache.set('c', 3, 1000);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([undefined, 2, 3]);
    expect(cache.get('b', 1000)).toBeUndefined();
  });
});
