import { defineServiceErrors } from '@oo/service';

/**
 * auth's error codes, each with the HTTP status it becomes at the edge (500: never the
 * client's fault). A 4xx error's message is shown to the client as the problem's `detail`.
 *
 * @example
 * throw new AuthError('AUTH_SESSION_NOT_FOUND', 'the session has ended');
 */
export const AuthError = defineServiceErrors('AuthError', {
  /** The sign-in could not be completed (state, nonce, PKCE, code, ID token); no session was made. */
  AUTH_SIGN_IN_FAILED: 400,
  /** The identity provider could not be reached or answered nonsense. */
  AUTH_PROVIDER_UNAVAILABLE: 503,
  /** A malformed sign-in request (unknown native client, a redirect that is not loopback, no PKCE). */
  AUTH_INVALID_REQUEST: 400,
  AUTH_SESSION_NOT_FOUND: 401,
  AUTH_USER_NOT_FOUND: 404,
  AUTH_DELETION_NOT_FOUND: 404,
  /** No export of that id for that user (someone else's is not found either). */
  AUTH_EXPORT_NOT_FOUND: 404,
  /** The export's archive is not built yet (or the export failed). */
  AUTH_EXPORT_NOT_READY: 409,
  /** The export's archive has expired and was deleted; ask for a new export. */
  AUTH_EXPORT_EXPIRED: 410,
  /** Too many exports started in the last 24 hours (EXPORTS_PER_DAY). */
  AUTH_EXPORT_RATE_LIMITED: 429,
  /** OAuth token endpoint errors (RFC 6749 §5.2): the problem also carries `error`. */
  AUTH_INVALID_GRANT: 400,
  AUTH_INVALID_CLIENT: 401,
  AUTH_UNSUPPORTED_GRANT_TYPE: 400,
  /** No signing key could be loaded or decrypted (wrong AUTH_KEY_ENCRYPTION_KEY?). */
  AUTH_SIGNING_KEY_UNAVAILABLE: 500,
});

export type AuthErrorCode = keyof typeof AuthError.statusByCode;
