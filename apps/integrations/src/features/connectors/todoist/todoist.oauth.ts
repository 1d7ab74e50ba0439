// How oO signs in to Todoist (API v1 authorization guide): the authorization-code flow with the
// client secret in the token request's body, no PKCE, read-only scope, and the RFC 7009
// revocation endpoint `POST /api/v1/revoke` to let go of a token when a user disconnects.
import type { OAuthProvider } from '../connector';
import { callTodoist, todoistFailure } from './todoist.connector';

export interface TodoistOAuthUrls {
  /** `https://app.todoist.com/oauth/authorize` in production. */
  authorizeUrl: string;
  /** `https://api.todoist.com/oauth/access_token` in production. */
  tokenUrl: string;
  /** The API base the revocation endpoint hangs off, `https://api.todoist.com/api/v1` in production. */
  apiUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

// Read access is all oO needs; Todoist names its scopes in a comma-separated list.
const SCOPES = ['data:read'] as const;
const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * Todoist as an OAuth provider for the connect flow, with token revocation.
 *
 * @example
 * const descriptor = todoistOAuth({ authorizeUrl: 'https://app.todoist.com/oauth/authorize', tokenUrl: 'https://api.todoist.com/oauth/access_token', apiUrl: 'https://api.todoist.com/api/v1' });
 * await descriptor.revoke?.({ accessToken, refreshToken: null }, { clientId, clientSecret });
 */
export function todoistOAuth(urls: TodoistOAuthUrls): OAuthProvider {
  const fetcher = urls.fetch ?? fetch;
  const revokeUrl = `${urls.apiUrl.replace(/\/+$/, '')}/revoke`;
  const doing = 'revoking the access token';

  return {
    provider: 'todoist',
    displayName: 'Todoist',
    authorizationEndpoint: urls.authorizeUrl,
    tokenEndpoint: urls.tokenUrl,
    scopes: SCOPES,
    scopeSeparator: ',',
    pkce: false,
    authorizationParams: {},
    clientAuth: 'client_secret_post',
    async revoke(token, client) {
      // The endpoint authenticates the client with HTTP Basic and takes the token in a JSON body,
      // as Todoist's own SDK sends it; a token Todoist no longer knows is still a success (RFC 7009).
      const credentials = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
      const answer = await callTodoist(
        fetcher,
        revokeUrl,
        {
          method: 'POST',
          headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ token: token.accessToken, token_type_hint: 'access_token' }),
        },
        { timeoutMs: urls.timeoutMs ?? DEFAULT_TIMEOUT_MS, doing },
      );
      if (answer.ok) return;
      const secrets = [token.accessToken, client.clientSecret, credentials];
      throw todoistFailure(answer, { doing, secrets, now: new Date(), authRemedy: "check oO's Todoist client id and secret" });
    },
  };
}
