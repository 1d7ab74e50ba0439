// Web push in a test browser. Chromium subscribes at its vendor's push service, which this machine
// cannot reach, so the page's PushManager is handed a subscription of the local push service
// (libs/provider-servers) instead: the notifier then encrypts and sends to it exactly as to a real
// one. What arrives there is delivered to the app's service worker through the DevTools
// protocol, as the browser would on receiving it.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { PushService } from '@oo/provider-servers';

type Subscription = ReturnType<PushService['createSubscription']>;

/** Makes every page of `context` subscribe to push with `subscription`. */
export async function useLocalPushService(context: BrowserContext, subscription: Subscription): Promise<void> {
  // Runs in the page (a script, since this file is compiled without the DOM's types).
  await context.addInitScript(`(() => {
    const sub = ${JSON.stringify(subscription)};
    const KEY = 'oo-test-push-subscribed';
    const standIn = {
      endpoint: sub.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: null },
      getKey: () => null,
      toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
      unsubscribe: async () => { localStorage.removeItem(KEY); return true; },
    };
    PushManager.prototype.subscribe = async function () { localStorage.setItem(KEY, '1'); return standIn; };
    PushManager.prototype.getSubscription = async function () { return localStorage.getItem(KEY) ? standIn : null; };
  })()`);
}

/** The page's service-worker registrations, as the DevTools protocol names them. */
export async function serviceWorkerOf(page: Page): Promise<{ cdp: CDPSession; registrationId: () => string | undefined }> {
  const cdp = await page.context().newCDPSession(page);
  let registrationId: string | undefined;
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }: { registrations: { registrationId: string; isDeleted: boolean }[] }) => {
    registrationId = registrations.find((r) => !r.isDeleted)?.registrationId ?? registrationId;
  });
  await cdp.send('ServiceWorker.enable');
  return { cdp, registrationId: () => registrationId };
}

/** Hands a push message's payload to the service worker of `origin`. */
export async function deliverPush(cdp: CDPSession, origin: string, registrationId: string, payload: unknown): Promise<void> {
  await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) });
}

/** The notifications the page's service worker shows now. */
export function shownNotifications(page: Page): Promise<{ title: string; body: string; target: string }[]> {
  return page.evaluate(`navigator.serviceWorker.ready
    .then((registration) => registration.getNotifications())
    .then((shown) => shown.map((n) => ({ title: n.title, body: n.body, target: String((n.data && n.data.target) || '') })))`);
}
