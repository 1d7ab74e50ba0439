import webpush from 'web-push';
import type { DeliveryOutcome, PushOptions, PushPayload, PushSubscriptionJson } from '../channel';

export interface PushSenderOptions {
  vapid: { subject: string; publicKey: string; privateKey: string };
  timeoutMs?: number;
}

function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

// What a push service's answer means for the notifier (RFC 8030 §5–§8); the endpoint's host only, never its keys.
function outcomeOf(status: number, retryAfter: string | null, host: string): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 404 || status === 410) return { kind: 'gone', status, detail: `${host}: the subscription has expired or was removed (${status})` };
  if (status === 429 || status >= 500) {
    const wait = retryAfterMs(retryAfter);
    return { kind: 'retry', status, detail: `${host} answered ${status}`, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (status === 413) return { kind: 'failed', status, detail: `${host}: the payload is too large (413)` };
  if (status === 401 || status === 403) return { kind: 'failed', status, detail: `${host} refused our VAPID credentials (${status}): the subscription was made with another key pair` };
  return { kind: 'failed', status, detail: `${host} refused the message (${status})` };
}

// fetch sets the length itself and refuses to be told it.
function sendable(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-length').map(([name, value]) => [name, String(value)]));
}

/**
 * Web push with VAPID (RFC 8292), the payload encrypted for the subscription (RFC 8291,
 * aes128gcm) by the `web-push` library and sent with fetch; every answer sorted into a `DeliveryOutcome`.
 *
 * @example
 * const push = createPushSender({ vapid: { subject: 'mailto:ops@oo.example', publicKey, privateKey } });
 * const outcome = await push.send(subscription, { title, body, url, decisionId, tag }, { ttlSeconds: 3600, urgency: 'normal' });
 */
export function createPushSender(options: PushSenderOptions) {
  return {
    publicKey: options.vapid.publicKey,
    async send(subscription: PushSubscriptionJson, payload: PushPayload, push: PushOptions): Promise<DeliveryOutcome> {
      const host = new URL(subscription.endpoint).host;
      // web-push builds the request (VAPID JWT, aes128gcm body, TTL, Urgency, Topic); fetch sends
      // it, with a real deadline for the whole answer and any scheme the endpoint has.
      const request = webpush.generateRequestDetails(subscription, JSON.stringify(payload), {
        vapidDetails: options.vapid,
        TTL: push.ttlSeconds,
        urgency: push.urgency,
        contentEncoding: 'aes128gcm',
        ...(push.topic ? { topic: push.topic } : {}),
      });
      try {
        const res = await fetch(request.endpoint, {
          method: request.method,
          headers: sendable(request.headers),
          body: request.body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer();
        return outcomeOf(res.status, res.headers.get('retry-after'), host);
      } catch (error) {
        return { kind: 'retry', detail: `${host} could not be reached (${error instanceof Error ? error.message : String(error)})` };
      }
    },
  };
}

export type PushSender = ReturnType<typeof createPushSender>;
