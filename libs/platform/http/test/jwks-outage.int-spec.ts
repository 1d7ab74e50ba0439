import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createJwtVerifier } from '../src/jwt-verifier';
import { ISSUER } from './token-factory';

interface SigningKey {
  kid: string;
  jwk: JWK;
  privateKey: CryptoKey;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const pair = await generateKeyPair('ES256');
  return { kid, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }, privateKey: pair.privateKey };
}

// Issued at `atMs` (the verifier's clock, which the tests move), valid for five minutes.
const sign = (key: SigningKey, sub = 'ana', atMs = Date.now()) => {
  const iat = Math.floor(atMs / 1000);
  return new SignJWT({ token_use: 'access' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience('oo')
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(key.privateKey);
};

// The auth service's JWKS endpoint, as a test controls it: what it serves, whether it is up, how often it was asked.
class JwksEndpoint {
  keys: SigningKey[] = [];
  fetches = 0;
  private server?: Server;
  constructor(readonly port: number) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}/.well-known/jwks.json`;
  }
  static async start(port = 0): Promise<JwksEndpoint> {
    const endpoint = new JwksEndpoint(port);
    await endpoint.up();
    return endpoint;
  }
  async up(): Promise<void> {
    const server = createServer((_req, res) => {
      this.fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    (this as { port: number }).port = (server.address() as { port: number }).port;
    this.server = server;
  }
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

function captureWarnings() {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, log: { warn: (_o: object, msg?: string) => warnings.push(msg ?? ''), info: (_o: object, msg?: string) => infos.push(msg ?? '') } };
}

describe('the verifier with a JWKS endpoint', () => {
  let endpoint: JwksEndpoint;
  let first: SigningKey;
  beforeEach(async () => {
    endpoint = await JwksEndpoint.start();
    first = await signingKey('key-1');
    endpoint.keys = [first];
  });
  afterEach(() => endpoint.down());

  it('keeps verifying with the last good keys while the endpoint is down, and says so once per outage', async () => {
    let now = Date.now();
    const { log, warnings, infos } = captureWarnings();
    const verifier = createJwtVerifier({ issuer: ISSUER, jwksUrl: endpoint.url, log, cacheSize: 0, now: () => new Date(now), jwksTimings: { unknownKidCooldownMs: 30_000 } });
    try {
      await expect(verifier.verify(await sign(first))).resolves.toMatchObject({ userId: 'ana' });
      await endpoint.down();
      // Well past any cache age: background refreshes fail, and tokens with known keys still pass.
      now += 3_600_000;
      const keys = (verifier as unknown as { keysHealth(): unknown }).keysHealth;
      await expect(verifier.verify(await sign(first, 'bo', now))).resolves.toMatchObject({ userId: 'bo' });
      const stranger = await signingKey('key-9');
      await expect(verifier.verify(await sign(stranger, 'ana', now))).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
      now += 60_000;
      await expect(verifier.verify(await sign(stranger, 'ana', now))).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
      expect(keys()).toEqual({ hasKeys: true, lastFetchFailed: true });
      expect(warnings).toEqual(['JWKS endpoint unreachable; verifying with the last good keys']);

      await endpoint.up();
      now += 60_000;
      await expect(verifier.verify(await sign(stranger, 'ana', now))).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
      expect(infos).toEqual(['JWKS endpoint answers again; signing keys refreshed']);
    } finally {
      verifier.close();
    }
  });

  it('picks up a rotated key on its first token, refetching at most once per cooldown and once for concurrent tokens', async () => {
    let now = Date.now();
    const verifier = createJwtVerifier({ issuer: ISSUER, jwksUrl: endpoint.url, now: () => new Date(now), jwksTimings: { unknownKidCooldownMs: 30_000 } });
    try {
      await verifier.verify(await sign(first));
      expect(endpoint.fetches).toBe(1);
      now += 31_000;
      const second = await signingKey('key-2');
      endpoint.keys = [first, second];
      const tokens = await Promise.all(['ana', 'bo', 'cy'].map((sub) => sign(second, sub)));
      await expect(Promise.all(tokens.map((t) => verifier.verify(t)))).resolves.toHaveLength(3);
      expect(endpoint.fetches).toBe(2);

      const forged = await sign(await signingKey('key-3'));
      await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
      expect(endpoint.fetches).toBe(2); // within the cooldown of the last fetch
    } finally {
      verifier.close();
    }
  });

  it('answers AUTH_KEYS_UNAVAILABLE only while no keys were ever fetched', async () => {
    await endpoint.down();
    const verifier = createJwtVerifier({ issuer: ISSUER, jwksUrl: endpoint.url, jwksTimings: { retryWithoutKeysMs: 0 } });
    try {
      const token = await sign(first);
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH_KEYS_UNAVAILABLE' });
      await endpoint.up();
      await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'ana' });
    } finally {
      verifier.close();
    }
  });

  it('refreshes in the background, so a removed key stops working without any unknown kid', async () => {
    const verifier = createJwtVerifier({ issuer: ISSUER, jwksUrl: endpoint.url, cacheSize: 0, jwksTimings: { refreshIntervalMs: 20 } });
    try {
      const token = await sign(first);
      await verifier.verify(token);
      const replacement = await signingKey('key-1');
      endpoint.keys = [replacement];
      const fetched = endpoint.fetches;
      while (endpoint.fetches <= fetched + 1) await new Promise((r) => setTimeout(r, 10));
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
    } finally {
      verifier.close();
    }
  });
});
