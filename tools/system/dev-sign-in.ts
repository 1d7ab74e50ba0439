import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { signInAtDevIdp } from '../dev-idp/dev-idp-browser';

/** The public client that development tools sign in as (a native app, RFC 8252). */
export const DEV_TOOLS_CLIENT_ID = 'oo-dev-tools';

// The loopback redirect is never connected to: the gateway's redirect is read, not followed.
const LOOPBACK_REDIRECT = 'http://127.0.0.1:1/oo-dev-tools/callback';

/** A person signed in through the whole front door, as a native app holds them. */
export interface DevSession {
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: Date;
}

function cookieFrom(res: Response): string {
  // The login cookie binds the callback to this sign-in; only its name=value part goes back.
  return res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .filter(Boolean)
    .join('; ');
}

function redirectOf(res: Response, step: string): string {
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) throw new Error(`${step}: expected a redirect, got ${res.status}`);
  return location;
}

function subjectOf(accessToken: string): string {
  const { sub } = decodeJwt(accessToken);
  if (typeof sub !== 'string') throw new Error('the access token has no subject');
  return sub;
}

/**
 * Signs `name` in at the local identity provider through the gateway the way a native app
 * does (authorization code + PKCE, loopback redirect) and returns the app's tokens. Tools that
 * act as users (the end-to-end tests, benchmarks, the simulator) use this: no other key signs
 * tokens the services accept.
 *
 * @example
 * const ada = await signInDevUser('http://localhost:8080', 'ada');
 * await fetch('http://localhost:8080/v1/me', { headers: { authorization: `Bearer ${ada.accessToken}` } });
 */
export async function signInDevUser(gatewayUrl: string, name: string): Promise<DevSession> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL('/v1/auth/authorize', gatewayUrl);
  for (const [key, value] of Object.entries({ client_id: DEV_TOOLS_CLIENT_ID, redirect_uri: LOOPBACK_REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state })) {
    authorize.searchParams.set(key, value);
  }
  const started = await fetch(authorize, { redirect: 'manual' });
  const loginCookie = cookieFrom(started);
  const callbackUrl = await signInAtDevIdp(redirectOf(started, 'GET /v1/auth/authorize'), name);
  // The identity provider sends the browser back to the gateway's public address; ask this one.
  const callback = new URL(callbackUrl);
  const returned = await fetch(new URL(`${callback.pathname}${callback.search}`, gatewayUrl), { redirect: 'manual', headers: { cookie: loginCookie } });
  const appRedirect = new URL(redirectOf(returned, 'GET /v1/auth/callback'));
  if (appRedirect.searchParams.get('state') !== state) throw new Error('the app redirect carries another state');
  const code = appRedirect.searchParams.get('code');
  if (!code) throw new Error(`the app redirect carries no code: ${appRedirect.search}`);
  const res = await fetch(new URL('/v1/auth/token', gatewayUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: LOOPBACK_REDIRECT, client_id: DEV_TOOLS_CLIENT_ID }),
  });
  const body = (await res.json()) as { access_token?: string; refresh_token?: string; expires_in?: number; detail?: string };
  if (!res.ok || !body.access_token || !body.refresh_token) throw new Error(`POST /v1/auth/token answered ${res.status}: ${body.detail ?? JSON.stringify(body)}`);
  return {
    userId: subjectOf(body.access_token),
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: new Date(Date.now() + (body.expires_in ?? 0) * 1000),
  };
}
