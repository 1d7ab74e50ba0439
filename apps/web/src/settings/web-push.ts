import { api } from '../api/api-client';
import { unwrap } from '../api/problem';

// pushManager.subscribe wants the VAPID key as bytes; the API gives it base64url.
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replaceAll('-', '+').replaceAll('_', '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Why this browser cannot take push, or null when it can. */
export function pushUnsupported(): string | null {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'This browser cannot receive push notifications.';
  return null;
}

/**
 * Turns web push on for this browser: asks for permission, registers the service worker (which
 * shows each notification and opens its tip on click), subscribes with oO's VAPID key and
 * registers the subscription with the notifier.
 */
export async function enableWebPush(): Promise<void> {
  const unsupported = pushUnsupported();
  if (unsupported) throw new Error(unsupported);
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('Notifications are blocked for this site; allow them in the browser’s site settings and try again.');
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await unwrap(api.GET('/v1/notifications/vapid-public-key'));
  const subscription = (await registration.pushManager.getSubscription()) ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  const json = subscription.toJSON();
  await unwrap(api.PUT('/v1/me/push-subscriptions', { body: { endpoint: subscription.endpoint, expirationTime: subscription.expirationTime, keys: { p256dh: json.keys?.['p256dh'] ?? '', auth: json.keys?.['auth'] ?? '' } } }));
}

/** Stops push to this browser: unsubscribes and tells the notifier. */
export async function disableWebPush(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration('/');
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await unwrap(api.DELETE('/v1/me/push-subscriptions', { params: { query: { endpoint: subscription.endpoint } } }));
  await subscription.unsubscribe();
}

/** True when this browser has a push subscription now. */
export async function hasWebPush(): Promise<boolean> {
  if (pushUnsupported()) return false;
  const registration = await navigator.serviceWorker.getRegistration('/');
  return Boolean(await registration?.pushManager.getSubscription());
}
