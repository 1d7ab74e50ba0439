import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@oo/logger';
import type { KoaContextWithOIDC } from 'oidc-provider';
// The local identity provider is a tool (tools/dev-idp), not an Nx library: the boundary rule
// has no tag for it. It is the real provider these tests run against.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDevIdp, type DevIdp } from '../../../../../tools/dev-idp/dev-idp';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { signInAtDevIdp } from '../../../../../tools/dev-idp/dev-idp-browser';
import { AuthError, type AuthErrorCode } from '../../errors';
import type { ServiceError } from '@oo/service';
import { createRelyingParty, type RelyingParty, type SignInStart } from './oidc-relying-party';

// The real openid-client against the real local identity provider (oidc-provider); no database.
const REDIRECT_URI = 'http://localhost:8080/v1/auth/callback';
const OURS = { clientId: 'oo-auth', clientSecret: 'auth-secret', redirectUris: [REDIRECT_URI] };
const OTHER = { clientId: 'oo-other', clientSecret: 'other-secret', redirectUris: [REDIRECT_URI] };
const log = createLogger({ service: 'auth-test', level: 'silent' });

const relyingPartyAt = (issuerUrl: string, client = OURS, timeoutMs?: number) =>
  createRelyingParty({ issuerUrl, clientId: client.clientId, clientSecret: client.clientSecret, redirectUri: REDIRECT_URI, allowHttp: true, log, ...(timeoutMs ? { timeoutMs } : {}) });

function withParam(url: string, key: string, value: string | undefined): string {
  const next = new URL(url);
  if (value === undefined) next.searchParams.delete(key);
  else next.searchParams.set(key, value);
  return next.href;
}

async function refusal(promise: Promise<unknown>): Promise<ServiceError<AuthErrorCode>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

async function listenOn(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Replaces the ID token in the next token response the provider sends (a test's man in the middle). */
function rewriteNextIdToken(idp: DevIdp): { with(rewrite: (idToken: string) => string): void } {
  let pending: ((idToken: string) => string) | undefined;
  idp.provider.use(async (ctx: KoaContextWithOIDC, next) => {
    await next();
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (pending && ctx.path === '/token' && typeof body?.id_token === 'string') {
      ctx.body = { ...body, id_token: pending(body.id_token) };
      pending = undefined;
    }
  });
  return { with: (rewrite) => void (pending = rewrite) };
}

describe('the OpenID relying party', () => {
  let idp: DevIdp;
  let rp: RelyingParty;
  let idTokens: ReturnType<typeof rewriteNextIdToken>;

  beforeAll(async () => {
    idp = await startDevIdp({ clients: [OURS, OTHER] });
    idTokens = rewriteNextIdToken(idp);
    rp = relyingPartyAt(idp.issuer);
  });

  afterAll(async () => {
    await idp?.stop();
  });

  const signIn = async (name: string, start?: SignInStart) => {
    const begun = start ?? (await rp.begin());
    return { start: begun, callback: new URL(await signInAtDevIdp(begun.authorizationUrl, name)) };
  };

  it('signs a person in: the identity comes from the verified ID token', async () => {
    const start = await rp.begin();
    const url = new URL(start.authorizationUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: OURS.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid email profile',
      state: start.state,
      nonce: start.nonce,
      code_challenge_method: 'S256',
    });
    const { callback } = await signIn('Ada', start);
    await expect(rp.complete(callback, start)).resolves.toEqual({
      issuer: idp.issuer,
      subject: 'dev-ada',
      email: 'ada@dev.oo.local',
      emailVerified: true,
      name: 'Ada',
    });
  });

  it('gives every attempt its own state, nonce and verifier', async () => {
    const [a, b] = await Promise.all([rp.begin(), rp.begin()]);
    expect(a?.state).not.toBe(b?.state);
    expect(a?.nonce).not.toBe(b?.nonce);
    expect(a?.codeVerifier).not.toBe(b?.codeVerifier);
  });

  it('refuses a callback whose state belongs to another attempt', async () => {
    const { start, callback } = await signIn('ada');
    const error = await refusal(rp.complete(callback, { ...start, state: (await rp.begin()).state }));
    expect(error.code).toBe('AUTH_SIGN_IN_FAILED');
    expect(error.message).toMatch(/state does not match/);
  });

  it('refuses a callback without state', async () => {
    const { start, callback } = await signIn('ada');
    callback.searchParams.delete('state');
    const error = await refusal(rp.complete(callback, start));
    expect(error.code).toBe('AUTH_SIGN_IN_FAILED');
    expect(error.message).toMatch(/no state/);
  });

  it("refuses a callback carrying the provider's error", async () => {
    const start = await rp.begin();
    const callback = new URL(await signInAtDevIdp(start.authorizationUrl, 'ada', { action: 'cancel' }));
    const error = await refusal(rp.complete(callback, start));
    expect(error.code).toBe('AUTH_SIGN_IN_FAILED');
    expect(error.message).toMatch(/refused the sign-in \(access_denied/);
  });

  it('refuses an authorization code used a second time', async () => {
    const { start, callback } = await signIn('ada');
    await rp.complete(callback, start);
    const error = await refusal(rp.complete(callback, start));
    expect(error.code).toBe('AUTH_SIGN_IN_FAILED');
    expect(error.message).toMatch(/refused the authorization code.*invalid_grant/);
  });

  it('refuses an ID token whose nonce is not the attempt’s', async () => {
    const start = await rp.begin();
    const elsewhere = { ...start, authorizationUrl: withParam(start.authorizationUrl, 'nonce', (await rp.begin()).nonce) };
    const { callback } = await signIn('ada', elsewhere);
    const error = await refusal(rp.complete(callback, start));
    expect(error.code).toBe('AUTH_SIGN_IN_FAILED');
    expect(error.message).toMatch(/nonce does not match/);
  });

  it('refuses the code without the PKCE verifier, or with another one', async () => {
    for (const codeVerifier of ['', (await rp.begin()).codeVerifier]) {
      const { start, callback } = await signIn('ada');
      const error = await refusal(rp.complete(callback, { ...start, codeVerifier }));
      expect(error.code).toBe('AUTH_SIGN_IN_FAILED');
      expect(error.message).toMatch(/PKCE verifier.*invalid_grant/);
    }
  });

  it('refuses an ID token issued to another client', async () => {
    const start = await rp.begin();
    // A genuine ID token of the same provider for the same person and nonce, but another audience.
    const other = relyingPartyAt(idp.issuer, OTHER);
    const theirs = await other.begin();
    const theirCallback = new URL(await signInAtDevIdp(withParam(theirs.authorizationUrl, 'nonce', start.nonce), 'ada'));
    const tokenRes = await fetch(new URL('/token', idp.url), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${OTHER.clientId}:${OTHER.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: theirCallback.searchParams.get('code') ?? '', code_verifier: theirs.codeVerifier, redirect_uri: REDIRECT_URI }),
    });
    const foreignIdToken = ((await tokenRes.json()) as { id_token: string }).id_token;
    expect(JSON.parse(Buffer.from(foreignIdToken.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({ aud: OTHER.clientId, nonce: start.nonce });

    const { callback } = await signIn('ada', start);
    idTokens.with(() => foreignIdToken);
    const error = await refusal(rp.complete(callback, start));
    expect(error.code).toBe('AUTH_SIGN_IN_FAILED');
    expect(error.message).toMatch(/issued to another client/);
  });

  it('refuses an ID token whose signature does not verify', async () => {
    const { start, callback } = await signIn('ada');
    idTokens.with((idToken) => {
      const [header, payload, signature] = idToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'dev-admin' })).toString('base64url');
      return `${header}.${forged}.${signature}`;
    });
    const error = await refusal(rp.complete(callback, start));
    expect(error.code).toBe('AUTH_SIGN_IN_FAILED');
    expect(error.message).toMatch(/signature does not verify/);
  });
});

describe('the OpenID relying party when the provider fails', () => {
  it('is unavailable while the provider is down, and discovers it once it is back', async () => {
    const gone = await startDevIdp({ clients: [OURS] });
    const port = Number(new URL(gone.url).port);
    await gone.stop();
    const rp = relyingPartyAt(gone.issuer);

    const error = await refusal(rp.begin());
    expect(error.code).toBe('AUTH_PROVIDER_UNAVAILABLE');
    expect(error.status).toBe(503);

    const back = await startDevIdp({ port, clients: [OURS] });
    try {
      const { start, callback } = await (async () => {
        const begun = await rp.begin();
        return { start: begun, callback: new URL(await signInAtDevIdp(begun.authorizationUrl, 'ada')) };
      })();
      await expect(rp.complete(callback, start)).resolves.toMatchObject({ subject: 'dev-ada' });
    } finally {
      await back.stop();
    }
  });

  it('is unavailable when the provider goes away between sign-in and callback', async () => {
    const idp = await startDevIdp({ clients: [OURS] });
    const rp = relyingPartyAt(idp.issuer);
    const start = await rp.begin();
    const callback = new URL(await signInAtDevIdp(start.authorizationUrl, 'ada'));
    await idp.stop();
    const error = await refusal(rp.complete(callback, start));
    expect(error.code).toBe('AUTH_PROVIDER_UNAVAILABLE');
  });

  it('is unavailable when the token endpoint answers garbage', async () => {
    const idp = await startDevIdp({ clients: [OURS] });
    try {
      idp.provider.use(async (ctx: KoaContextWithOIDC, next) => {
        if (ctx.path !== '/token') return next();
        ctx.status = 502;
        ctx.type = 'html';
        ctx.body = '<h1>Bad gateway</h1>';
      });
      const rp = relyingPartyAt(idp.issuer);
      const start = await rp.begin();
      const callback = new URL(await signInAtDevIdp(start.authorizationUrl, 'ada'));
      const error = await refusal(rp.complete(callback, start));
      expect(error.code).toBe('AUTH_PROVIDER_UNAVAILABLE');
    } finally {
      await idp.stop();
    }
  });

  it('is unavailable when discovery answers something that is not an OpenID configuration', async () => {
    const { url, server } = await listenOn((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>'));
    try {
      expect((await refusal(relyingPartyAt(url).begin())).code).toBe('AUTH_PROVIDER_UNAVAILABLE');
    } finally {
      await closeServer(server);
    }
  });

  it('is unavailable when the provider does not answer in time', async () => {
    const { url, server } = await listenOn(() => undefined);
    try {
      const error = await refusal(relyingPartyAt(url, OURS, 200).begin());
      expect(error.code).toBe('AUTH_PROVIDER_UNAVAILABLE');
      expect(error.cause).toMatchObject({ code: 'OAUTH_TIMEOUT' });
    } finally {
      await closeServer(server);
    }
  });
});
