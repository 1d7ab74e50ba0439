import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An OAuth client registered with the stand-in, as in Google Cloud's credentials page. */
export interface GoogleOAuthClientRegistration {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; Google compares them character for character. */
  redirectUris: string[];
}

/** What an endpoint answers; the server writes it out. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** The outcome of checking a request's `Authorization: Bearer …` header. */
export type BearerCheck = { ok: true; scopes: string[] } | { ok: false; problem: 'missing' | 'invalid' };

interface Grant {
  clientId: string;
  scopes: string[];
  refreshToken: string | null;
  refreshUsable: boolean;
  revoked: boolean;
}

interface PendingCode {
  grant: Grant;
  redirectUri: string;
  challenge: string | null;
  method: 'S256' | 'plain';
  expiresAt: number;
  offline: boolean;
  forceConsent: boolean;
}

const KNOWN_SCOPES = new Set(['https://www.googleapis.com/auth/tasks', 'https://www.googleapis.com/auth/tasks.readonly', 'openid', 'email', 'profile']);
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;
const CODE_TTL_MS = 10 * 60_000;

const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});
// Token answers must not be cached (RFC 6749 §5.1); openid-client reads them as JSON.
const tokenReply = (status: number, body: unknown) => json(status, body, { 'cache-control': 'no-store', pragma: 'no-cache' });
const oauthError = (status: number, error: string, description: string) => tokenReply(status, { error, error_description: description });
// Google shows a page, not a redirect, when it cannot trust the client or the redirect URI.
const errorPage = (status: number, error: string, description: string): Reply => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: `Error ${status}: ${error}\n${description}`,
});

/**
 * Google's OAuth 2.0 server for web server apps, auto-approving: authorization codes (single use,
 * PKCE S256 or plain), access tokens that expire, refresh tokens for `access_type=offline`, and
 * revocation of a whole grant.
 *
 * @example
 * const oauth = createGoogleOAuth({ issuer: 'http://127.0.0.1:4000', clients, accessTokenTtlSeconds: 3599, now: () => new Date() });
 * const reply = oauth.authorize(new URLSearchParams({ client_id, redirect_uri, response_type: 'code', scope }));
 */
export function createGoogleOAuth(config: { issuer: string; clients: GoogleOAuthClientRegistration[]; accessTokenTtlSeconds: number; now: () => Date }) {
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  const refreshTokens = new Map<string, Grant>();
  const consented = new Set<string>();
  let denyNext = 0;
  const nowMs = () => config.now().getTime();

  function issueAccess(grant: Grant): { access_token: string; expires_in: number; scope: string; token_type: 'Bearer' } {
    const accessToken = token('ya29.');
    accessTokens.set(accessToken, { grant, expiresAt: nowMs() + config.accessTokenTtlSeconds * 1000 });
    return { access_token: accessToken, expires_in: config.accessTokenTtlSeconds, scope: grant.scopes.join(' '), token_type: 'Bearer' };
  }

  function authenticate(form: URLSearchParams, authorization: string | undefined): GoogleOAuthClientRegistration | null {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return null;
      // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    }
    const client = config.clients.find((c) => c.clientId === id);
    if (!client || secret === null) return null;
    const [a, b] = [Buffer.from(secret), Buffer.from(client.clientSecret)];
    return a.length === b.length && timingSafeEqual(a, b) ? client : null;
  }

  function exchangeCode(client: GoogleOAuthClientRegistration, form: URLSearchParams): Reply {
    const code = form.get('code');
    const pending = code ? codes.get(code) : undefined;
    if (!code || !pending || pending.grant.clientId !== client.clientId) return oauthError(400, 'invalid_grant', 'Malformed auth code.');
    codes.delete(code); // single use, whatever the outcome
    if (pending.expiresAt < nowMs()) return oauthError(400, 'invalid_grant', 'Bad Request');
    if (form.get('redirect_uri') !== pending.redirectUri) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (pending.challenge !== null) {
      const verifier = form.get('code_verifier');
      if (!verifier) return oauthError(400, 'invalid_grant', 'Missing code verifier.');
      const derived = pending.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!PKCE_VALUE.test(verifier) || derived !== pending.challenge) return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    const grant = pending.grant;
    // Google sends a refresh token for offline access on the first consent, or when consent is asked again.
    if (pending.offline && (pending.forceConsent || !consented.has(client.clientId))) {
      grant.refreshToken = token('1//');
      refreshTokens.set(grant.refreshToken, grant);
    }
    consented.add(client.clientId);
    const answer = issueAccess(grant);
    return tokenReply(200, grant.refreshToken ? { ...answer, refresh_token: grant.refreshToken } : answer);
  }

  return {
    /** `GET /o/oauth2/v2/auth`: checks the request, then approves at once and redirects with a code. */
    authorize(query: URLSearchParams): Reply {
      const client = config.clients.find((c) => c.clientId === query.get('client_id'));
      if (!client) return errorPage(401, 'invalid_client', 'The OAuth client was not found.');
      const redirectUri = query.get('redirect_uri') ?? '';
      if (!client.redirectUris.includes(redirectUri)) return errorPage(400, 'redirect_uri_mismatch', `The redirect URI in the request, ${redirectUri}, does not match the ones authorized for the OAuth client.`);
      if (query.get('response_type') !== 'code') return errorPage(400, 'invalid_request', 'Invalid response_type: only code is supported here.');
      const scopes = (query.get('scope') ?? '').split(/\s+/).filter(Boolean);
      if (scopes.length === 0) return errorPage(400, 'invalid_request', 'Missing required parameter: scope');
      if (scopes.some((s) => !KNOWN_SCOPES.has(s))) return errorPage(400, 'invalid_scope', `Some requested scopes were invalid: ${scopes.filter((s) => !KNOWN_SCOPES.has(s)).join(' ')}`);
      const challenge = query.get('code_challenge');
      const method = query.get('code_challenge_method') ?? (challenge ? 'plain' : null);
      if (method !== null && (method !== 'S256' && method !== 'plain')) return errorPage(400, 'invalid_request', `Invalid code_challenge_method: ${method}`);
      if (method !== null && (!challenge || !PKCE_VALUE.test(challenge))) return errorPage(400, 'invalid_request', 'Invalid code_challenge.');

      const location = new URL(redirectUri);
      const state = query.get('state');
      if (state !== null) location.searchParams.set('state', state);
      if (denyNext > 0) {
        denyNext -= 1;
        location.searchParams.set('error', 'access_denied');
      } else {
        const code = token('4/0');
        const grant: Grant = { clientId: client.clientId, scopes, refreshToken: null, refreshUsable: true, revoked: false };
        const forceConsent = (query.get('prompt') ?? '').split(' ').includes('consent');
        codes.set(code, { grant, redirectUri, challenge, method: method === 'S256' ? 'S256' : 'plain', expiresAt: nowMs() + CODE_TTL_MS, offline: query.get('access_type') === 'offline', forceConsent });
        location.searchParams.set('code', code);
        location.searchParams.set('scope', scopes.join(' '));
      }
      // Google now names itself in the response (RFC 9207); openid-client checks it against the issuer.
      location.searchParams.set('iss', config.issuer);
      return { status: 302, headers: { location: location.href } };
    },

    /** `POST /token`: the authorization_code and refresh_token grants. */
    token(form: URLSearchParams, authorization: string | undefined): Reply {
      const client = authenticate(form, authorization);
      if (!client) return oauthError(401, 'invalid_client', 'Unauthorized');
      const grantType = form.get('grant_type');
      if (grantType === 'authorization_code') return exchangeCode(client, form);
      if (grantType === 'refresh_token') {
        const grant = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!grant || grant.revoked || !grant.refreshUsable || grant.clientId !== client.clientId) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
        return tokenReply(200, issueAccess(grant));
      }
      if (!grantType) return oauthError(400, 'invalid_request', 'Required parameter is missing: grant_type');
      return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
    },

    /** `POST /revoke`: ends the grant an access or refresh token belongs to. */
    revoke(params: URLSearchParams): Reply {
      const value = params.get('token') ?? '';
      const grant = refreshTokens.get(value) ?? accessTokens.get(value)?.grant;
      if (!grant || grant.revoked) return json(400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
      grant.revoked = true;
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}' };
    },

    /** Checks `Authorization: Bearer …` as the Tasks API does. */
    checkBearer(authorization: string | undefined): BearerCheck {
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!bearer?.[1]) return { ok: false, problem: 'missing' };
      const entry = accessTokens.get(bearer[1]);
      if (!entry || entry.grant.revoked || entry.expiresAt <= nowMs()) return { ok: false, problem: 'invalid' };
      return { ok: true, scopes: entry.grant.scopes };
    },

    /** An access token without the OAuth dance, for tests of the API alone. */
    issueAccessToken(scopes: string[] = ['https://www.googleapis.com/auth/tasks.readonly']): string {
      return issueAccess({ clientId: config.clients[0]?.clientId ?? '', scopes, refreshToken: null, refreshUsable: false, revoked: false }).access_token;
    },
    expireAccessTokens(): void {
      for (const entry of accessTokens.values()) entry.expiresAt = Math.min(entry.expiresAt, nowMs());
    },
    /** Refresh tokens stop working (six months unused, a password change); access tokens live on. */
    expireRefreshTokens(): void {
      for (const grant of refreshTokens.values()) grant.refreshUsable = false;
    },
    /** The user removes oO's access in their Google account: every token of every grant dies. */
    revokeAccess(): void {
      for (const { grant } of accessTokens.values()) grant.revoked = true;
      for (const grant of refreshTokens.values()) grant.revoked = true;
      consented.clear();
    },
    /** The next `times` authorizations end as if the user pressed Cancel (`error=access_denied`). */
    denyNextAuthorization(times = 1): void {
      denyNext += times;
    },
  };
}

/** The OAuth half of the stand-in. */
export type GoogleOAuth = ReturnType<typeof createGoogleOAuth>;
