// The whole nudge loop on a fresh system, through the gateway as a person's app uses it: the
// recommender's scheduler nudges at the user's preferred hour (its clock and the notifier's are
// the test's, moved to that hour; every other service is its own process on the real Postgres and
// JetStream), the notifier pushes the tip to a local push service, the notification's link opens
// the tip, the reaction is ordinary feedback, and the decision log tells it came by push.
import { startPushService, type PushService } from '@oo/provider-servers';
import { eventually } from '@oo/testing';
import type { RunningSystem } from '../system/launch-system';
import { call, SERVICE_WAIT_MS } from './e2e-support';
import { launchSystemOnClock, movableClock } from './test-clock-system';

jest.setTimeout(180_000);

const HOUR_MS = 3_600_000;
const clock = movableClock();

let push: PushService;
let system: RunningSystem & { prefix: string };

beforeAll(async () => {
  push = await startPushService();
  clock.moveTo(8, 30);
  system = await launchSystemOnClock('nudge-e2e', clock, { NUDGE_TICK_MS: '100', DISPATCH_TICK_MS: '100', PUSH_ALLOW_INSECURE_ENDPOINTS: 'true', APP_URL: 'https://app.oo.test' });
});

afterAll(async () => {
  await system?.stop();
  await push?.stop();
});

it('nudges at the preferred hour by push; the click leads to the tip and its feedback; the log shows the channel', async () => {
  const gateway = system.url('gateway');
  const { accessToken: token } = await system.signIn('nudge-ada');
  const prefs = await call('PUT', `${gateway}/v1/me/preferences`, token, { timezone: 'UTC', channels: ['in_app', 'push'], tipCadence: 'low' });
  expect(prefs.status).toBe(200);
  const consent = await call('POST', `${gateway}/v1/me/consents`, token, { purpose: 'push_notifications', version: '1', textHash: 'c'.repeat(64), granted: true });
  expect(consent.status).toBeLessThan(300);
  const subscription = push.createSubscription();
  expect((await call('PUT', `${gateway}/v1/me/push-subscriptions`, token, subscription)).status).toBe(201);
  const task = await call('POST', `${gateway}/v1/me/tasks`, token, { title: 'Send the invoice', priority: 1 });
  expect(task.status).toBe(201);
  // The task is a candidate (the app's own tip can name it) before the clock reaches the slot.
  await eventually(async () => ((await call('POST', `${gateway}/v1/tips`, token)).status === 200 ? true : undefined), 'a tip', SERVICE_WAIT_MS, 200);

  // 08:30 UTC: no slot yet (a new user's preferred hour is profile's fallback, 9).
  await new Promise((r) => setTimeout(r, 1_000));
  expect(push.messages(subscription.endpoint)).toEqual([]);

  const slotStart = clock.moveTo(9, 5);
  const message = await eventually(async () => push.messages(subscription.endpoint)[0], 'the nudge pushed', SERVICE_WAIT_MS, 100);
  const payload = message.payload as { title: string; body: string; url: string; decisionId: string };
  // TTL from not_after, the end of the slot: at most the 55 minutes left of it.
  expect(message.ttl).toBeGreaterThan(0);
  expect(message.ttl).toBeLessThanOrEqual(HOUR_MS / 1000 - (slotStart.getUTCMinutes() * 60));
  const link = new URL(payload.url);
  expect(link.origin).toBe('https://app.oo.test');
  const decisionId = link.searchParams.get('decision') ?? '';
  expect(decisionId).toBe(payload.decisionId);

  // The click: the web app shows the tip of that decision, and the reaction is ordinary feedback.
  const tip = await call('GET', `${gateway}/v1/tips/${decisionId}`, token);
  expect(tip).toMatchObject({ status: 200, body: { decisionId, channel: 'push', reaction: null, tip: { title: payload.title, body: payload.body } } });
  expect((await call('POST', `${gateway}/v1/tips/${decisionId}/feedback`, token, { reaction: 'done' })).status).toBe(202);

  const mine = await call('GET', `${gateway}/v1/me/notifications`, token);
  expect((mine.body as { notifications: { decisionId: string; status: string; channel: string }[] }).notifications).toEqual([
    expect.objectContaining({ decisionId, status: 'delivered', channel: 'push' }),
  ]);
  const history = await call('GET', `${gateway}/v1/tips/history`, token);
  expect((history.body as { items: { decisionId: string; channel: string; reaction: string }[] }).items.find((i) => i.decisionId === decisionId)).toMatchObject({ channel: 'push', reaction: 'done' });

  const { accessToken: admin } = await system.signIn('admin');
  const outcomes = await eventually(async () => {
    const res = await call('GET', `${gateway}/v1/admin/nudges/outcomes?since=${encodeURIComponent(new Date(slotStart.getTime() - HOUR_MS).toISOString())}`, admin);
    const push = (res.body as { channels: { channel: string; delivered: number }[] }).channels.find((c) => c.channel === 'push');
    return push && push.delivered > 0 ? res.body : undefined;
  }, 'the delivery on the decision log', SERVICE_WAIT_MS, 200);
  expect(outcomes).toMatchObject({ channels: [{ channel: 'push', nudges: 1, delivered: 1, failed: 0, done: 1, doneRate: 1 }] });

  // One nudge per slot: the rest of the hour brings no second one.
  await new Promise((r) => setTimeout(r, 1_000));
  expect(push.messages(subscription.endpoint)).toHaveLength(1);
});
