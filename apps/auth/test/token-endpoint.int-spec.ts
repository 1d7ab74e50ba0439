import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createJwtVerifier } from '@oo/http';
import { startServiceHarness } from '@oo/service-testing';
import { createServiceClient, serviceClientsFile } from '../src/features/service-clients/service-client-secret';
import { authService } from '../src/service';

// The identity provider is not reached by anything here: sign-in is tested elsewhere.
const authEnv = {
  OIDC_ISSUER_URL: 'http://127.0.0.1:9/unused-idp',
  OIDC_CLIENT_ID: 'unused',
  OIDC_CLIENT_SECRET: 'unused',
  OIDC_ALLOW_HTTP: 'true',
  AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
};

interface TokenAnswer {
  status: number;
  type: string;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('POST /oauth/token, client credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auth-clients-'));
  const file = join(dir, 'service-clients.json');
  const gateway = createServiceClient('gateway');
  const recommender = createServiceClient('recommender');
  writeFileSync(file, serviceClientsFile([gateway, recommender]));
  const start = () => startServiceHarness(authService, { label: 'auth-token-endpoint', env: { ...authEnv, SERVICE_CLIENTS_FILE: file } });
  let h: Awaited<ReturnType<typeof start>>;

  const post = async (body: string, headers: Record<string, string> = {}): Promise<TokenAnswer> => {
    const res = await fetch(`${h.baseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });
  const verifyAtJwks = (token: string) => createJwtVerifier({ issuer: h.auth.issuer, jwksUrl: `${h.baseUrl}/.well-known/jwks.json`, cacheSize: 0 }).verify(token);
  const expectOAuthError = (res: TokenAnswer, status: number, error: string, code: string) => {
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ status, error, code, error_description: expect.any(String) });
  };

  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a service a token for its HTTP Basic credentials, one that verifies at the JWKS', async () => {
    const res = await post(form({ grant_type: 'client_credentials' }), basic('gateway', gateway.secret));
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(res.body['expires_in']).toBeGreaterThan(590);
    expect(res.body['expires_in']).toBeLessThanOrEqual(600);
    const token = res.body['access_token'] as string;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({ sub: 'gateway', token_use: 'service', aud: 'oo', iss: h.auth.issuer });
    expect(await verifyAtJwks(token)).toEqual({ userId: 'gateway', roles: [], isAdmin: false, service: 'gateway' });
  });

  it('takes the credentials in a form body and in JSON too', async () => {
    const fromForm = await post(form({ grant_type: 'client_credentials', client_id: 'recommender', client_secret: recommender.secret }));
    expect(fromForm.status).toBe(200);
    const res = await fetch(`${h.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'recommender', client_secret: recommender.secret }),
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    expect(await verifyAtJwks(access_token)).toMatchObject({ service: 'recommender' });
  });

  it('answers invalid_client with a Basic challenge for a wrong secret and for an unknown client alike', async () => {
    for (const res of [
      await post(form({ grant_type: 'client_credentials' }), basic('gateway', recommender.secret)),
      await post(form({ grant_type: 'client_credentials' }), basic('billing', gateway.secret)),
      await post(form({ grant_type: 'client_credentials', client_id: 'gateway', client_secret: 'guess' })),
      await post(form({ grant_type: 'client_credentials' })),
    ]) {
      expectOAuthError(res, 401, 'invalid_client', 'AUTH_INVALID_CLIENT');
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });

  it('answers invalid_request without grant_type, for a repeated parameter, and for two ways of authenticating', async () => {
    expectOAuthError(await post('', basic('gateway', gateway.secret)), 400, 'invalid_request', 'AUTH_INVALID_REQUEST');
    expectOAuthError(await post('grant_type=client_credentials&grant_type=client_credentials', basic('gateway', gateway.secret)), 400, 'invalid_request', 'AUTH_INVALID_REQUEST');
    const both = await post(form({ grant_type: 'client_credentials', client_id: 'gateway', client_secret: gateway.secret }), basic('gateway', gateway.secret));
    expectOAuthError(both, 400, 'invalid_request', 'AUTH_INVALID_REQUEST');
  });

  it('answers unsupported_grant_type for a grant it does not know', async () => {
    for (const grant of ['password', 'urn:ietf:params:oauth:grant-type:device_code', 'toString', '__proto__']) {
      expectOAuthError(await post(form({ grant_type: grant }), basic('gateway', gateway.secret)), 400, 'unsupported_grant_type', 'AUTH_UNSUPPORTED_GRANT_TYPE');
    }
  });

  it('answers invalid_request for a body that is too large', async () => {
    const res = await post(form({ grant_type: 'client_credentials', padding: 'x'.repeat(8_000) }), basic('gateway', gateway.secret));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'invalid_request' });
  });

  it('drops clients no longer listed when it starts again, and takes a changed secret', async () => {
    const renewed = createServiceClient('gateway');
    writeFileSync(file, serviceClientsFile([renewed]));
    const next = await h.startInstance();
    const call = (id: string, secret: string) =>
      fetch(`${next.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic(id, secret) }, body: 'grant_type=client_credentials' });
    expect((await call('gateway', renewed.secret)).status).toBe(200);
    expect((await call('gateway', gateway.secret)).status).toBe(401);
    expect((await call('recommender', recommender.secret)).status).toBe(401);
    expect(await h.db.selectFrom('service_clients').select('client_id').execute()).toEqual([{ client_id: 'gateway' }]);
  });
});
