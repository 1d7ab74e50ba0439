import { ConnectorError, type OAuthProvider } from '../connector';

/** Google's production OAuth 2.0 endpoints for web server applications. */
export const GOOGLE_OAUTH_ENDPOINTS = {
  authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
} as const;

/** Read-only access to the user's tasks: all oO needs. */
export const GOOGLE_TASKS_READONLY_SCOPE = 'https://www.googleapis.com/auth/tasks.readonly';

/** Where Google's OAuth endpoints are (production, or a local stand-in). */
export interface GoogleOAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Google Tasks as an OAuth source: PKCE S256, the client secret in the token request's body,
 * `access_type=offline` for a refresh token and `prompt=consent` so Google issues one on every
 * connect (it sends none when the user had consented before); revocation at Google's endpoint.
 *
 * @example
 * const descriptor = googleTasksOAuth(GOOGLE_OAUTH_ENDPOINTS);
 * await descriptor.revoke?.({ accessToken, refreshToken }, { clientId, clientSecret });
 */
export function googleTasksOAuth(endpoints: GoogleOAuthEndpoints): OAuthProvider {
  const doFetch = endpoints.fetch ?? fetch;
  const timeoutMs = endpoints.timeoutMs ?? 10_000;
  return {
    provider: 'google_tasks',
    displayName: 'Google Tasks',
    authorizationEndpoint: endpoints.authorizeUrl,
    tokenEndpoint: endpoints.tokenUrl,
    scopes: [GOOGLE_TASKS_READONLY_SCOPE],
    pkce: true,
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    clientAuth: 'client_secret_post',
    async revoke(token) {
      // Revoking the refresh token ends the whole grant, its access tokens with it; an access
      // token alone is revoked only when there is no refresh token to revoke.
      const body = new URLSearchParams({ token: token.refreshToken ?? token.accessToken });
      let response: Response;
      try {
        response = await doFetch(endpoints.revokeUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
      } catch (error) {
        throw new ConnectorError('unavailable', 'Google could not be reached to revoke oO’s access; try again, or remove oO at myaccount.google.com/permissions', { cause: error });
      }
      // 400 is Google's answer for a token that is already expired or revoked: nothing left to end.
      if (response.ok || response.status === 400) return;
      const failure = response.status >= 500 ? 'unavailable' : 'invalid';
      throw new ConnectorError(failure, `Google refused to revoke oO’s access (${response.status}); remove oO at myaccount.google.com/permissions`, { status: response.status });
    },
  };
}
