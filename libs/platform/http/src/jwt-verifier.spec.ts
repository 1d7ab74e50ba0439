import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { appWith, expectInvalidToken } from '../test/auth-test-app';
import { ISSUER, createTokenFactory, type TokenFactory } from '../test/token-factory';
import { createJwtVerifier } from './jwt-verifier';

let tokens: TokenFactory;

beforeAll(async () => {
  tokens = await createTokenFactory();
});

function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('createJwtVerifier with a JWKS URL', () => {
  let jwksServer: Server;
  let jwksUrl: string;
  let fetches = 0;

  beforeAll(async () => {
    jwksServer = createServer((req, res) => {
      fetches += 1;
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(tokens.jwks));
    });
    jwksUrl = `http://127.0.0.1:${await listenOnLoopback(jwksServer)}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    jwksServer.closeAllConnections();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('fetches the keys once and verifies tokens with them', async () => {
    const app = appWith(createJwtVerifier({ issuer: ISSUER, jwksUrl }));
    const before = fetches;
    const res = await request(app)
      .get('/me')
      .set('Authorization', `Bearer ${await tokens.sign({ claims: { sub: 'user-9' } })}`)
      .expect(200);
    expect(res.body.userId).toBe('user-9');
    await request(app)
      .get('/me')
      .set('Authorization', `Bearer ${await tokens.sign()}`)
      .expect(200);
    expect(fetches - before).toBe(1);
    await expectInvalidToken(app, `Bearer ${await tokens.sign({ key: tokens.otherKey })}`);
  });

  it('answers 503 when the keys cannot be fetched', async () => {
    const closed = createServer();
    const port = await listenOnLoopback(closed);
    await new Promise((resolve) => closed.close(resolve));
    const app = appWith(createJwtVerifier({ issuer: ISSUER, jwksUrl: `http://127.0.0.1:${port}/jwks.json` }));
    const res = await request(app)
      .get('/me')
      .set('Authorization', `Bearer ${await tokens.sign()}`)
      .expect(503);
    expect(res.body).toMatchObject({ status: 503, code: 'AUTH_KEYS_UNAVAILABLE' });
    expect(res.headers['www-authenticate']).toBeUndefined();
  });
});

describe('createJwtVerifier', () => {
  it('needs exactly one key source', () => {
    expect(() => createJwtVerifier({ issuer: ISSUER })).toThrow(TypeError);
    expect(() => createJwtVerifier({ issuer: ISSUER, jwks: tokens.jwks, jwksUrl: 'http://127.0.0.1/jwks' })).toThrow(TypeError);
  });

  it('rejects a roles claim that is not a list of strings', async () => {
    const verifier = createJwtVerifier({ issuer: ISSUER, jwks: tokens.jwks });
    await expect(verifier.verify(await tokens.sign({ claims: { roles: 'admin' } }))).rejects.toMatchObject({
      code: 'AUTH_INVALID_TOKEN',
    });
  });

  it('honours an injected clock for expiry', async () => {
    const token = await tokens.sign({ expiresAt: '1m' });
    const later = new Date(Date.now() + 10 * 60_000);
    const verifier = createJwtVerifier({ issuer: ISSUER, jwks: tokens.jwks, now: () => later });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN', message: 'the token has expired' });
  });
});
