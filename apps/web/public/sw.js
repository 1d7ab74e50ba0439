// oO's service worker: shows the tip a push carries, and opens that tip when it is clicked.
// The notifier's payload is { title, body, url, decisionId } (apps/notifier/README.md).

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let tip = { title: 'oO', body: 'A new tip is waiting.', url: '/now' };
  try {
    tip = { ...tip, ...event.data.json() };
  } catch {
    // A push without a JSON payload still tells the person there is something new.
  }
  // The link names the decision; open it in this app even when the notifier knows another origin.
  const link = new URL(tip.url, self.location.origin);
  const target = `/now${link.search}`;
  event.waitUntil(self.registration.showNotification(tip.title, { body: tip.body, tag: tip.decisionId || 'oo-tip', data: { target } }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.target || '/now', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      return open ? open.navigate(target).then((w) => (w ?? open).focus()) : self.clients.openWindow(target);
    }),
  );
});
