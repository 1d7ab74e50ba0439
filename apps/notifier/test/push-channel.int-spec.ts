import webpush from 'web-push';
import { startPushService, type PushService } from '@oo/provider-servers';
import { createPushSender } from '../src/features/channels/push/push-sender';

const payload = { title: 'Pay rent', body: 'Due today.', url: 'https://oo.test/?tip=t1&decision=d1', decisionId: 'd1', tag: 't1' };

// The push sender against a local push service that verifies VAPID (RFC 8292) and decrypts the
// payload (RFC 8291) the way a browser would.
describe('web push channel', () => {
  let service: PushService;
  const vapid = { subject: 'mailto:ops@oo.test', ...webpush.generateVAPIDKeys() };
  const sender = createPushSender({ vapid, timeoutMs: 2_000 });
  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(() => service?.stop());

  it('delivers a payload only the subscription can read, with TTL, urgency and topic', async () => {
    const subscription = service.createSubscription();
    expect(await sender.send(subscription, payload, { ttlSeconds: 600, urgency: 'high', topic: 't1' })).toEqual({ kind: 'delivered', status: 201 });
    expect(await sender.send(subscription, payload, { ttlSeconds: 600, urgency: 'high', topic: 't1' })).toMatchObject({ kind: 'delivered' });
    const [first, second] = service.messages(subscription.endpoint);
    expect(first).toEqual({ endpoint: subscription.endpoint, payload, ttl: 600, urgency: 'high', topic: 't1', subject: 'mailto:ops@oo.test' });
    expect(second?.payload).toEqual(payload);
  });

  it('sorts the push service’s answers: 410 gone, 429 retry after, 500 retry, 413 failed', async () => {
    const subscription = service.createSubscription();
    service.failNext({ status: 429, retryAfter: 30 });
    expect(await sender.send(subscription, payload, { ttlSeconds: 60, urgency: 'normal' })).toMatchObject({ kind: 'retry', status: 429, retryAfterMs: 30_000 });
    service.failNext({ status: 500 });
    expect(await sender.send(subscription, payload, { ttlSeconds: 60, urgency: 'normal' })).toMatchObject({ kind: 'retry', status: 500 });
    service.failNext({ status: 413 });
    expect(await sender.send(subscription, payload, { ttlSeconds: 60, urgency: 'normal' })).toMatchObject({ kind: 'failed', status: 413 });
    service.expire(subscription);
    expect(await sender.send(subscription, payload, { ttlSeconds: 60, urgency: 'normal' })).toMatchObject({ kind: 'gone', status: 410 });
    expect(await createPushSender({ vapid }).send({ ...subscription, endpoint: 'http://127.0.0.1:9/push/x' }, payload, { ttlSeconds: 60, urgency: 'normal' })).toMatchObject({ kind: 'retry' });
  });

  it('is refused by the push service without a valid VAPID JWT for its origin', async () => {
    const subscription = service.createSubscription();
    const request = webpush.generateRequestDetails(subscription, JSON.stringify(payload), { vapidDetails: vapid, TTL: 60, contentEncoding: 'aes128gcm' });
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([n]) => n.toLowerCase() !== 'content-length').map(([n, v]) => [n, String(v)]));
    const send = (authorization: string) => fetch(subscription.endpoint, { method: 'POST', headers: { ...headers, Authorization: authorization }, body: request.body });
    const auth = headers['Authorization'] ?? '';
    const tampered = auth.replace(/t=([^.]+)\.([^.]+)\./, (_m, h: string, p: string) => `t=${h}.${p.slice(0, -2)}AA.`);
    expect((await send(tampered)).status).toBe(403);
    expect((await send('WebPush abc')).status).toBe(401);
    const elsewhere = webpush.getVapidHeaders('https://push.example.com', vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm');
    expect((await send(String(elsewhere.Authorization))).status).toBe(403);
    expect(service.messages(subscription.endpoint)).toEqual([]);
  });
});
