// What a delivery channel tells the notifier after one attempt; the notifier decides what follows
// (retry with back-off, delete a dead subscription, mark an address bounced, record the failure).

/**
 * - `delivered`: the push service or mail server accepted it.
 * - `gone`: the destination no longer exists (push 404/410, a mail server refusing the mailbox
 *   for good): the subscription is deleted, the address marked bounced.
 * - `retry`: a transient failure (5xx, 429, a timeout, a refused connection); `retryAfterMs`
 *   when the other side said how long to wait.
 * - `failed`: refused for good for another reason (a payload too large, a bad request).
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; status?: number; messageId?: string }
  | { kind: 'gone'; status?: number; detail: string }
  | { kind: 'retry'; status?: number; detail: string; retryAfterMs?: number }
  | { kind: 'failed'; status?: number; detail: string };

/** A browser's PushSubscription, as `subscription.toJSON()` gives it. */
export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

/** What a push notification carries to the service worker (encrypted per RFC 8291 on the way). */
export interface PushPayload {
  title: string;
  body: string;
  /** Where a click leads: the tip, with its decision id (closes the loop). */
  url: string;
  decisionId: string;
  /** Replaces an earlier notification with the same tag instead of stacking. */
  tag: string;
}

export interface PushOptions {
  /** Seconds the push service may hold it (from `not_after`); 0: deliver now or never. */
  ttlSeconds: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  /** A push service replaces a pending message with the same topic. */
  topic?: string;
}

/** An e-mail about a tip. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** One-click unsubscribe (RFC 8058): works without signing in, turns the e-mail channel off. */
  unsubscribeUrl: string;
  /** Lets a reply or bounce be matched to the delivery. */
  deliveryId: string;
}
