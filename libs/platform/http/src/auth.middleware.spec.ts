import { SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import { appWith, expectInvalidToken } from '../test/auth-test-app';
import { ISSUER, KID, createTokenFactory, type TokenFactory, type TokenOptions } from '../test/token-factory';
import { createJwtVerifier } from './jwt-verifier';

let tokens: TokenFactory;
let jwks: TokenFactory['jwks'];

beforeAll(async () => {
  tokens = await createTokenFactory();
  jwks = tokens.jwks;
});

const sign = (options?: TokenOptions) => tokens.sign(options);

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('requireAuth with inline JWKS', () => {
  const app = () => appWith(createJwtVerifier({ issuer: ISSUER, jwks }));

  it('accepts a valid ES256 token and exposes the user id', async () => {
    const res = await request(app())
      .get('/me')
      .set('Authorization', `Bearer ${await sign()}`)
      .expect(200);
    expect(res.body).toEqual({ userId: 'user-1', roles: [], isAdmin: false });
  });

  it('rejects a missing or non-bearer Authorization header', async () => {
    await expectInvalidToken(app(), undefined);
    await expectInvalidToken(app(), 'Basic dXNlcjpwYXNz');
  });

  it('rejects an expired token', async () => {
    const res = await expectInvalidToken(app(), `Bearer ${await sign({ expiresAt: Math.floor(Date.now() / 1000) - 60 })}`);
    expect(res.body.detail).toBe('the token has expired');
  });

  it('rejects a token from another issuer', async () => {
    const res = await expectInvalidToken(app(), `Bearer ${await sign({ issuer: 'https://evil.test' })}`);
    expect(res.body.detail).toBe("the token's iss claim is not acceptable");
  });

  it('rejects a token for another audience', async () => {
    const res = await expectInvalidToken(app(), `Bearer ${await sign({ audience: 'someone-else' })}`);
    expect(res.body.detail).toBe("the token's aud claim is not acceptable");
  });

  it('rejects an unsigned token (alg none)', async () => {
    const token = new UnsecuredJWT({ roles: ['admin'] })
      .setSubject('user-1')
      .setIssuer(ISSUER)
      .setAudience('oo')
      .setExpirationTime('5m')
      .encode();
    const res = await expectInvalidToken(app(), `Bearer ${token}`);
    expect(res.body.detail).toBe('the token is not signed with ES256');
  });

  it('rejects an HS256 token, even one "signed" with the public key', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .setSubject('user-1')
      .setIssuer(ISSUER)
      .setAudience('oo')
      .setExpirationTime('5m')
      .sign(secret);
    const res = await expectInvalidToken(app(), `Bearer ${token}`);
    expect(res.body.detail).toBe('the token is not signed with ES256');
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await sign()).split('.');
    const forged = base64url({ sub: 'user-2', roles: ['admin'], iss: ISSUER, aud: 'oo', exp: Math.floor(Date.now() / 1000) + 300 });
    await expectInvalidToken(app(), `Bearer ${header}.${forged}.${signature}`);
  });

  it('rejects a token signed with another key', async () => {
    await expectInvalidToken(app(), `Bearer ${await sign({ key: tokens.otherKey })}`);
  });

  it('rejects a token without an expiry', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: KID })
      .setSubject('user-1')
      .setIssuer(ISSUER)
      .setAudience('oo')
      .setIssuedAt()
      .sign(tokens.signingKey);
    const res = await expectInvalidToken(app(), `Bearer ${token}`);
    expect(res.body.detail).toBe("the token's exp claim is not acceptable");
  });

  it('rejects a token without an issue time (revocations are judged by it)', async () => {
    const token = await new SignJWT({ token_use: 'access' })
      .setProtectedHeader({ alg: 'ES256', kid: KID })
      .setSubject('user-1')
      .setIssuer(ISSUER)
      .setAudience('oo')
      .setExpirationTime('5m')
      .sign(tokens.signingKey);
    const res = await expectInvalidToken(app(), `Bearer ${token}`);
    expect(res.body.detail).toBe("the token's iat claim is not acceptable");
  });

  it('recognises the admin role', async () => {
    const token = await sign({ claims: { roles: ['admin'] } });
    const res = await request(app()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ userId: 'user-1', roles: ['admin'], isAdmin: true });
    await request(app()).get('/admin').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('forbids non-admins from admin routes', async () => {
    const res = await request(app())
      .get('/admin')
      .set('Authorization', `Bearer ${await sign()}`)
      .expect(403);
    expect(res.body).toMatchObject({ status: 403, code: 'AUTH_FORBIDDEN' });
  });

  it('recognises service tokens', async () => {
    const token = await sign({ claims: { sub: 'recommender', token_use: 'service' } });
    const res = await request(app()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ userId: 'recommender', roles: [], isAdmin: false, service: 'recommender' });
  });

  it.each([['refresh'], ['id'], [undefined], [''], [['access']]])('refuses a token whose token_use is %j (only access and service tokens get in)', async (use) => {
    const token = await sign({ claims: { sub: 'ana', roles: ['admin'], token_use: use } });
    const res = await expectInvalidToken(app(), `Bearer ${token}`);
    expect(res.body.detail).toBe("the token's token_use claim is not acceptable");
  });

  it('never makes a service token an admin, whatever roles it carries', async () => {
    const token = await sign({ claims: { sub: 'recommender', token_use: 'service', roles: ['admin'] } });
    const me = await request(app()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toEqual({ userId: 'recommender', roles: [], isAdmin: false, service: 'recommender' });
    await request(app()).get('/admin').set('Authorization', `Bearer ${token}`).expect(403);
  });
});

describe('requireSelfOrAdmin', () => {
  const app = () => appWith(createJwtVerifier({ issuer: ISSUER, jwks }));

  it("lets users read their own data but not another user's", async () => {
    const token = await sign({ claims: { sub: 'user-1' } });
    await request(app()).get('/users/user-1').set('Authorization', `Bearer ${token}`).expect(200);
    const res = await request(app()).get('/users/user-2').set('Authorization', `Bearer ${token}`).expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'AUTH_FORBIDDEN', instance: '/users/user-2' });
  });

  it("lets admins read anyone's data", async () => {
    const token = await sign({ claims: { sub: 'admin-1', roles: ['admin'] } });
    await request(app()).get('/users/user-2').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('lets a service token through only on routes that list its service', async () => {
    const recommender = await sign({ claims: { sub: 'recommender', token_use: 'service' } });
    await request(app()).get('/users/user-2').set('Authorization', `Bearer ${recommender}`).expect(403);
    await request(app()).get('/features/user-2').set('Authorization', `Bearer ${recommender}`).expect(200);

    const notifier = await sign({ claims: { sub: 'notifier', token_use: 'service' } });
    const res = await request(app()).get('/features/user-2').set('Authorization', `Bearer ${notifier}`).expect(403);
    expect(res.body).toMatchObject({ status: 403, code: 'AUTH_FORBIDDEN', detail: 'the notifier service may not call this route' });
  });

  it('does not let a service named like the user through', async () => {
    const token = await sign({ claims: { sub: 'notifier', token_use: 'service' } });
    await request(app()).get('/users/notifier').set('Authorization', `Bearer ${token}`).expect(403);
  });
});

describe('requireServiceOrAdmin', () => {
  const app = () => appWith(createJwtVerifier({ issuer: ISSUER, jwks }));
  const score = async (claims: Record<string, unknown>) =>
    request(app()).post('/score').set('Authorization', `Bearer ${await sign({ claims })}`);

  it('lets the listed services and admins through', async () => {
    expect((await score({ sub: 'recommender', token_use: 'service' })).status).toBe(200);
    expect((await score({ sub: 'ada', roles: ['admin'] })).status).toBe(200);
  });

  it("refuses other services' tokens and a person's own token with 403", async () => {
    const notifier = await score({ sub: 'notifier', token_use: 'service' });
    expect(notifier.status).toBe(403);
    expect(notifier.body).toMatchObject({ code: 'AUTH_FORBIDDEN', detail: 'the notifier service may not call this route' });
    const user = await score({ sub: 'bea' });
    expect(user.status).toBe(403);
    expect(user.body).toMatchObject({ code: 'AUTH_FORBIDDEN', detail: 'only services and admins may call this route' });
  });
});
