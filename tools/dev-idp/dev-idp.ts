// oidc-provider ships no types: this brings ours in wherever the dev IdP is compiled (e.g. auth's tests).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./oidc-provider.d.ts" />
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration, KoaContextWithOIDC, Provider } from 'oidc-provider';
import { devAccountFor, type DevAccount } from './dev-accounts';
import { loginPage } from './login-page';
import { createMemoryAdapter } from './memory-adapter';

/** A relying party registered at the local identity provider (confidential, `client_secret_basic`). */
export interface DevIdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface DevIdpOptions {
  /** 0 (the default): any free port. */
  port?: number;
  /** Where to listen; default 127.0.0.1. */
  host?: string;
  /** The issuer identifier; default `http://<host>:<port>`. Must have no path. */
  issuer?: string;
  clients: DevIdpClient[];
  /** Errors the provider could not answer properly (default: written to stderr). */
  onServerError?: (error: unknown) => void;
}

export interface DevIdp {
  readonly issuer: string;
  /** Where it listens, e.g. `http://127.0.0.1:8090`. */
  readonly url: string;
  /** The oidc-provider instance, for tests that hook it: `provider.use(koaMiddleware)` applies from the next request. */
  readonly provider: Provider;
  stop(): Promise<void>;
}

const SCOPES = 'openid email profile';
const HOUR = 3600;

// oidc-provider 9 asks for Node 22 and says so with console.warn when it is loaded; oO runs on
// Node 20, where everything this tool uses works (its integration tests prove it). The notice
// alone is held back, so tests and terminals stay quiet; every other warning still shows.
async function loadProvider(): Promise<typeof Provider> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return (await import('oidc-provider')).Provider;
  } finally {
    console.warn = warn;
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function configuration(options: DevIdpOptions, accounts: Map<string, DevAccount>): Configuration {
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: SCOPES.split(' '),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The ID token carries the scopes' claims, so a relying party needs no userinfo call.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...signingKey, kid: randomUUID(), use: 'sig', alg: 'RS256' }] },
    adapter: createMemoryAdapter(),
    ttl: { AccessToken: HOUR, AuthorizationCode: 60, IdToken: HOUR, Interaction: 600, Session: HOUR, Grant: HOUR },
    clientBasedCORS: () => false,
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub) ?? (sub.startsWith('dev-') ? devAccountFor(sub.slice(4)) : undefined);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: true, name: account.name }),
      };
    },
    // Consent is granted at once: every client of the local provider is oO itself.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const clientId = oidc.client?.clientId;
      const accountId = oidc.session.accountId;
      if (!clientId || !accountId) return undefined;
      const existingId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(clientId);
      const existing = existingId ? await oidc.provider.Grant.find(existingId) : undefined;
      if (existing) return existing;
      const grant = new oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      const rows = Object.entries(out).map(([key, value]) => `<dt>${escape(key)}</dt><dd>${escape(String(value))}</dd>`);
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><main><h1>Sign-in error</h1><dl>${rows.join('')}</dl></main></body></html>`;
    },
  };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Starts oO's local identity provider: a real OpenID Provider (oidc-provider 9) with a login page
 * where any name signs in (`sub` = `dev-<slug>`, e-mail `<slug>@dev.oo.local`). Code flow only,
 * PKCE S256 required, scopes `openid email profile`, the claims in the ID token, consent granted.
 * Everything is in memory and new on each start (keys, cookies, sessions).
 *
 * @example
 * const idp = await startDevIdp({ clients: [{ clientId: 'oo-local', clientSecret: 's3cret', redirectUris: ['http://localhost:8080/v1/auth/callback'] }] });
 * // OIDC_ISSUER_URL=idp.issuer, OIDC_ALLOW_HTTP=true …
 * await idp.stop();
 */
export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  const ProviderClass = await loadProvider();
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  const { port } = await listen(server, options.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const issuer = options.issuer ?? url;
  if (new URL(issuer).pathname !== '/') {
    server.close();
    throw new Error(`the local identity provider serves at the root of its origin; issuer ${issuer} has a path`);
  }
  const accounts = new Map<string, DevAccount>();
  const provider = new ProviderClass(issuer, configuration(options, accounts));
  const onServerError = options.onServerError ?? ((error: unknown) => process.stderr.write(`dev-idp: ${String(error)}\n`));
  provider.on('server_error', (_ctx, error) => onServerError(error));
  provider.use(loginPage(provider, (account) => accounts.set(account.sub, account)));
  // Koa composes its middleware when callback() is called: asking per request lets a test's
  // `provider.use(...)` take effect from the next request, whenever it is added.
  server.on('request', (req, res) => provider.callback()(req, res));
  return {
    issuer,
    url,
    provider,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections of fetch clients would hold close() open.
        server.closeAllConnections();
      }),
  };
}
