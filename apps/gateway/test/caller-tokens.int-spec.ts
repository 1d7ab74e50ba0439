import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { startServiceHarness } from '@oo/service-testing';
import { createTestAuth } from '@oo/testing';
import { gatewayService } from '../src/service';
import { call } from './support/client';

const ISSUER = 'https://auth.oo.test';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

// Tokens the gateway must refuse before anything reaches an upstream, and the rate limits.
describe('callers at the gateway', () => {
  let key: CryptoKey;
  let strangerKey: CryptoKey;
  let jwks: string;
  let upstream: Server;
  let upstreamCalls = 0;
  const stops: (() => Promise<void>)[] = [];

  const mint = (claims: JWTPayload = {}, options: { key?: CryptoKey; kid?: string; exp?: number | string; nbf?: number | string } = {}) => {
    const jwt = new SignJWT({ token_use: 'access', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'k1' })
      .setSubject(String(claims.sub ?? 'ada'))
      .setIssuer(String(claims.iss ?? ISSUER))
      .setAudience(claims.aud ?? 'oo')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m');
    if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
    return jwt.sign(options.key ?? key);
  };
  const start = async (env: Record<string, string> = {}) => {
    const auth = await createTestAuth(ISSUER);
    const port = (upstream.address() as AddressInfo).port;
    const h = await startServiceHarness(gatewayService, { label: 'gw-callers', auth, env: { AUTH_JWKS: jwks, PROFILE_URL: `http://127.0.0.1:${port}`, ...env } });
    stops.push(() => h.stop());
    return h;
  };

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    key = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
    upstream = createServer((_req, res) => {
      upstreamCalls++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"userId":"ada","registryVersion":"r","features":[]}');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  describe('token checks', () => {
    let baseUrl: string;
    beforeAll(async () => {
      baseUrl = (await start()).baseUrl;
    });

    it('lets a valid access token through to the upstream', async () => {
      const res = await call(baseUrl, 'GET', '/v1/me/features', { token: await mint() });
      expect(res.status).toBe(200);
    });

    const now = () => Math.floor(Date.now() / 1000);
    const forged: [string, () => Promise<string>][] = [
      ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'ada', iss: ISSUER, aud: 'oo', token_use: 'access', exp: now() + 300 })}.`],
      [
        'HS256 signed with the public key',
        async () => new SignJWT({ token_use: 'access' }).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setSubject('ada').setIssuer(ISSUER).setAudience('oo').setExpirationTime('5m').sign(new TextEncoder().encode(jwks)),
      ],
      ['a wrong issuer', () => mint({ iss: 'https://evil.example' })],
      ['a wrong audience', () => mint({ aud: 'someone-else' })],
      ['an expired token', () => mint({}, { exp: now() - 60 })],
      ['a token not yet valid', () => mint({}, { nbf: now() + 600 })],
      [
        'a tampered payload',
        async () => {
          const [header, , signature] = (await mint({ sub: 'ada' })).split('.');
          return `${header}.${b64({ sub: 'root', iss: ISSUER, aud: 'oo', token_use: 'access', roles: ['admin'], exp: now() + 300 })}.${signature}`;
        },
      ],
      ['an unknown kid', () => mint({}, { key: strangerKey, kid: 'k-unknown' })],
      ['a refresh token used as an access token', () => mint({ token_use: 'refresh' })],
      ['a token without token_use', () => mint({ token_use: undefined })],
    ];

    it.each(forged)('refuses %s with a 401 problem, before any upstream call', async (_what, token) => {
      const before = upstreamCalls;
      const res = await call(baseUrl, 'GET', '/v1/me/features', { token: await token() });
      expect(res.status).toBe(401);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body['code']).toBe('AUTH_INVALID_TOKEN');
      expect(upstreamCalls).toBe(before);
    });

    it('refuses a malformed Authorization header with 401', async () => {
      expect((await call(baseUrl, 'GET', '/v1/me/features', { headers: { authorization: 'Basic YWRhOnB3' } })).status).toBe(401);
    });
  });

  describe('rate limits', () => {
    it('gives each user RATE_LIMIT_PER_USER requests per window, then 429 with Retry-After; each IP RATE_LIMIT_PER_IP', async () => {
      const { baseUrl } = await start({ RATE_LIMIT_PER_USER: '3', RATE_LIMIT_PER_IP: '5', RATE_LIMIT_WINDOW_MS: '1h' });
      const ada = await mint({ sub: 'ada' });
      const first = await call(baseUrl, 'GET', '/v1/me/features', { token: ada });
      expect(first.headers.get('ratelimit-policy')).toMatch(/"ip"; q=5; w=3600/);
      expect(first.headers.get('ratelimit')).toMatch(/"user"; r=2; t=\d+/);
      await call(baseUrl, 'GET', '/v1/me/features', { token: ada });
      await call(baseUrl, 'GET', '/v1/me/features', { token: ada });
      const limited = await call(baseUrl, 'GET', '/v1/me/features', { token: ada });
      expect(limited.status).toBe(429);
      expect(limited.type).toMatch(/^application\/problem\+json/);
      expect(limited.body['code']).toBe('GATEWAY_RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another user from the same address still has the address's last request.
      expect((await call(baseUrl, 'GET', '/v1/me/features', { token: await mint({ sub: 'bob' }) })).status).toBe(200);
      const byIp = await call(baseUrl, 'GET', '/v1/me/features', { token: await mint({ sub: 'cy' }) });
      expect(byIp.status).toBe(429);
      expect(byIp.headers.get('ratelimit')).toMatch(/"ip"; r=0/);
    });

    it('never limits normal use with the default limits', async () => {
      const { baseUrl } = await start();
      const token = await mint({ sub: 'dee' });
      const statuses = new Set<number>();
      for (let i = 0; i < 60; i++) statuses.add((await call(baseUrl, 'GET', '/v1/me/features', { token })).status);
      expect([...statuses]).toEqual([200]);
    });
  });
});
