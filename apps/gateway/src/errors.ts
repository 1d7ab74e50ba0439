import { defineServiceErrors } from '@oo/service';

/**
 * The gateway's error codes, each with the HTTP status it becomes at the edge (a 4xx message is
 * shown to the client as the problem's `detail`; 5xx details never are).
 *
 * @example
 * throw new GatewayError('GATEWAY_UPSTREAM_TIMEOUT', 'profile did not answer in time');
 */
export const GatewayError = defineServiceErrors('GatewayError', {
  GATEWAY_SIGN_IN_FAILED: 400,
  GATEWAY_REFRESH_TOKEN_REQUIRED: 400,
  GATEWAY_SESSION_REQUIRED: 401,
  /** The route wants a recent sign-in (account deletion): sign in again, then retry. */
  GATEWAY_REAUTH_REQUIRED: 401,
  GATEWAY_USER_REQUIRED: 403,
  GATEWAY_CSRF_FAILED: 403,
  GATEWAY_ADMIN_REQUIRED: 403,
  GATEWAY_CORS_ORIGIN_REFUSED: 403,
  GATEWAY_DEAD_LETTER_NOT_FOUND: 404,
  GATEWAY_UNSUPPORTED_MEDIA_TYPE: 415,
  GATEWAY_RATE_LIMITED: 429,
  GATEWAY_UPSTREAM_FAILED: 502,
  GATEWAY_UPSTREAM_UNAVAILABLE: 503,
  GATEWAY_OVERLOADED: 503,
  GATEWAY_UPSTREAM_TIMEOUT: 504,
  /** The admin's event operations on a system without JetStream (the embedded in-process bus). */
  GATEWAY_EVENTS_UNAVAILABLE: 501,
});

export type GatewayErrorCode = keyof typeof GatewayError.statusByCode;
