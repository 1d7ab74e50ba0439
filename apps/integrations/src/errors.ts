import { defineServiceErrors } from '@oo/service';

/**
 * integrations's error codes, each with the HTTP status it becomes at the edge (500: never the
 * client's fault). A 4xx error's message is shown to the client as the problem's `detail`.
 *
 * @example
 * throw new IntegrationsError('INTEGRATIONS_CONNECTION_NOT_FOUND', `you have no connection ${id}`);
 */
export const IntegrationsError = defineServiceErrors('IntegrationsError', {
  INTEGRATIONS_UNKNOWN_PROVIDER: 404,
  /** The deployment has no client registered at that provider (no client id / secret configured). */
  INTEGRATIONS_PROVIDER_UNAVAILABLE: 409,
  INTEGRATIONS_CONNECTION_NOT_FOUND: 404,
  /** The provider's callback does not complete a connect flow of this user (unknown, used or expired state; refused code). */
  INTEGRATIONS_CONNECT_FAILED: 400,
  /** The provider could not be reached while connecting or revoking. */
  INTEGRATIONS_PROVIDER_FAILED: 502,
  INTEGRATIONS_TASK_NOT_FOUND: 404,
  /** A page cursor this service did not hand out. */
  INTEGRATIONS_BAD_CURSOR: 400,
  /** Only manual tasks change through the API; synced ones change at their source. */
  INTEGRATIONS_TASK_NOT_MANUAL: 409,
  /** A per-user limit (connections, feeds, manual tasks) is reached. */
  INTEGRATIONS_LIMIT_REACHED: 409,
  /** A feed URL we will not fetch: not http(s), or an address inside our own network. */
  INTEGRATIONS_FEED_URL_REJECTED: 400,
  /** A sealed value does not open: tampered, another row's, or a master key is missing from the configuration. */
  INTEGRATIONS_VAULT_UNREADABLE: 500,
});

export type IntegrationsErrorCode = keyof typeof IntegrationsError.statusByCode;
