import { defineServiceErrors } from '@oo/service';

/**
 * The notifier's error codes, each with the HTTP status it becomes at the edge. A 4xx error's
 * message is shown to the client as the problem's `detail`.
 *
 * @example
 * throw new NotifierError('NOTIFIER_BAD_LINK', 'this unsubscribe link is not one of ours');
 */
export const NotifierError = defineServiceErrors('NotifierError', {
  /** A signed link (unsubscribe) that does not verify. */
  NOTIFIER_BAD_LINK: 400,
  /** Push is not configured on this deployment (no VAPID keys). */
  NOTIFIER_PUSH_UNAVAILABLE: 409,
  NOTIFIER_SUBSCRIPTION_LIMIT: 409,
  /** A push subscription whose endpoint we will not call (not https, or our own network). */
  NOTIFIER_BAD_SUBSCRIPTION: 400,
});

export type NotifierErrorCode = keyof typeof NotifierError.statusByCode;
