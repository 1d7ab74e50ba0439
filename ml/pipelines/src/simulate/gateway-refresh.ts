import { decodeJwt } from 'jose';
import type { RefreshFn, UserSession } from './user-sessions';

export interface GatewayRefreshOptions {
  readonly gatewayUrl: string;
  /** The public client the sessions were signed in as (DEV_TOOLS_CLIENT_ID). */
  readonly clientId: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/**
 * `POST /v1/auth/refresh { refresh_token, client_id }` at the gateway, as a native app renews its
 * session; the user id is read from the new access token's `sub` (the gateway's answer has none).
 *
 * @example
 * const refresh = createGatewayRefresh({ gatewayUrl: 'http://localhost:8080', clientId: DEV_TOOLS_CLIENT_ID });
 * const next = await refresh(session.refreshToken);
 */
export function createGatewayRefresh(options: GatewayRefreshOptions): RefreshFn {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const url = new URL('/v1/auth/refresh', options.gatewayUrl);
  return async (refreshToken): Promise<UserSession> => {
    const res = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken, client_id: options.clientId }),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown; detail?: unknown };
    if (!res.ok || typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string' || typeof body.expires_in !== 'number') {
      const why = typeof body.detail === 'string' ? body.detail : JSON.stringify(body);
      throw new Error(`POST ${url.pathname} answered ${res.status}: ${why}`);
    }
    return {
      userId: subjectOf(body.access_token),
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: new Date(now() + body.expires_in * 1000),
    };
  };
}

// Only the subject is read, not trusted: the services verify the token, the simulator just files by it.
function subjectOf(accessToken: string): string {
  let sub: unknown;
  try {
    sub = decodeJwt(accessToken).sub;
  } catch {
    sub = undefined;
  }
  if (typeof sub !== 'string' || sub === '') throw new Error('the refreshed access token is not a JWT with a subject');
  return sub;
}
