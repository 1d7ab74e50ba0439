import { createApiClient, type ApiClient } from '@oo/api-client';

// The session's CSRF token, set once the session is known; the client reads it on every unsafe call.
let csrfToken: string | undefined;

/** Remembers the CSRF token of the current web session (from `GET /v1/auth/session`). */
export function rememberCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/**
 * The one client of the gateway for the whole app: same origin (the gateway serves this app),
 * the session cookie sent along, the CSRF token on unsafe methods.
 */
export const api: ApiClient = createApiClient({
  baseUrl: window.location.origin,
  credentials: 'include',
  csrfToken: () => csrfToken,
});

/** Where the gateway's sign-in starts, coming back to `returnTo` (a path of this app). */
export function signInUrl(returnTo: string): string {
  return `/v1/auth/sign-in?return_to=${encodeURIComponent(returnTo)}`;
}
