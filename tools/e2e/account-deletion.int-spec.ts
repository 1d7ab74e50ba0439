// Deleting an account that has used every part of oO, through the gateway on a fresh system:
// tasks from Todoist (its local stand-in) and by hand, tips and feedback (so ml-serving holds a
// model part), preferences and a consent, a push subscription, a nudge delivered by push and a data export.
// After DELETE /v1/me every service sends its receipt, auth erases the identity, and a scan of
// every table of every schema — outboxes, inboxes, dead letters and model checkpoints included —
// finds neither the user's id nor their e-mail address. The old token is refused and a late event
// about the user changes nothing.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { subjects, TaskUpsertedSchema } from '@oo/contracts';
import { connectJetStreamBus, createEventCodec } from '@oo/events';
import { startPushService, startTodoistServer, type PushService, type TodoistServer } from '@oo/provider-servers';
import { eventually, testDatabaseUrl, testNatsUrl } from '@oo/testing';
import type { RunningSystem } from '../system/launch-system';
import { call, SERVICE_WAIT_MS } from './e2e-support';
import { tableCount, tracesOf } from './system-scan';
import { launchSystemOnClock, movableClock } from './test-clock-system';

jest.setTimeout(240_000);

const clock = movableClock();
let push: PushService;
let todoist: TodoistServer;
let system: RunningSystem & { prefix: string };

beforeAll(async () => {
  [push, todoist] = await Promise.all([startPushService(), startTodoistServer()]);
  clock.moveTo(8, 30);
  system = await launchSystemOnClock('deletion-e2e', clock, {
    NUDGE_TICK_MS: '100',
    DISPATCH_TICK_MS: '100',
    PUSH_ALLOW_INSECURE_ENDPOINTS: 'true',
    ...todoist.integrationsEnv,
    PROVIDERS_ALLOW_HTTP: 'true',
    SYNC_TICK_MS: '200',
  });
});

afterAll(async () => {
  await system?.stop();
  await Promise.all([push?.stop(), todoist?.stop()]);
});

it('erases a user who used every feature from every table of every service, and proves it', async () => {
  const gateway = system.url('gateway');
  const { accessToken: token, userId } = await system.signIn('erase-ada');
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, `${gateway}${path}`, token, body);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  };
  const email = (await ok('GET', '/v1/me'))['email'] as string;
  expect(email).toContain('@');

  // Settings, consent, a browser for push.
  await ok('PUT', '/v1/me/preferences', { timezone: 'UTC', channels: ['in_app', 'push'], tipCadence: 'low' });
  await ok('POST', '/v1/me/consents', { purpose: 'push_notifications', version: '1', textHash: 'c'.repeat(64), granted: true });
  const subscription = push.createSubscription();
  await ok('PUT', '/v1/me/push-subscriptions', subscription);
  // Tasks from Todoist and by hand.
  todoist.signIn('ada-at-todoist');
  const start = await ok('POST', '/v1/me/connections/todoist/connect', { timeZone: 'UTC' });
  const consent = await fetch(start['authorizationUrl'] as string, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location') ?? '');
  const connection = await ok('GET', `${callback.pathname}${callback.search}`);
  todoist.addTask({ user: 'ada-at-todoist', content: 'Renew the passport', priority: 4, due: { date: '2026-12-05' } });
  await ok('POST', `/v1/me/connections/${connection['id'] as string}/sync`);
  await ok('POST', '/v1/me/tasks', { title: 'Call the plumber', priority: 2 });
  await eventually(async () => ((await ok('GET', '/v1/me/tasks'))['tasks'] as unknown[]).length === 2 || undefined, 'both tasks', SERVICE_WAIT_MS, 100);
  // Tips and a reaction, so ml-serving learns a part of its own for the user.
  const tip = await eventually(async () => {
    const res = await call('POST', `${gateway}/v1/tips`, token);
    return res.status === 200 ? (res.body as { decisionId: string }) : undefined;
  }, 'a tip', SERVICE_WAIT_MS, 100);
  await ok('POST', `/v1/tips/${tip.decisionId}/feedback`, { reaction: 'done' });
  // A nudge at the preferred hour, delivered by push.
  clock.moveTo(9, 5);
  await eventually(async () => push.messages(subscription.endpoint)[0], 'the nudge pushed', SERVICE_WAIT_MS, 100);
  await eventually(async () => (((await ok('GET', '/v1/me/notifications'))['notifications'] as unknown[]).length > 0 ? true : undefined), 'the delivery logged');
  // An export of it all: its archive and every service's outbox copy of its part must go with the account.
  const exportStatus = (await ok('POST', '/v1/me/export'))['statusUrl'] as string;
  await eventually(async () => ((await ok('GET', exportStatus))['status'] === 'ready' ? true : undefined), 'the export ready', 60_000, 200);
  // Before: the user is everywhere.
  const before = await tracesOf(testDatabaseUrl(), system.prefix, [userId]);
  const servicesHolding = new Set(before.map((t) => t.at.split('.')[0]?.slice(system.prefix.length + 1)));
  expect([...servicesHolding].sort()).toEqual(expect.arrayContaining(['auth', 'integrations', 'ml_serving', 'notifier', 'profile', 'recommender']));

  const accepted = await ok('DELETE', '/v1/me');
  expect(accepted).toMatchObject({ requestId: expect.any(String), statusUrl: `/v1/deletions/${accepted['requestId'] as string}` });
  const done = await eventually(async () => {
    const res = await fetch(`${gateway}${accepted['statusUrl'] as string}`);
    const status = (await res.json()) as { status: string; services: { service: string; erasedAt: string | null }[] };
    return status.status === 'completed' ? status : undefined;
  }, 'every receipt in', 60_000, 200);
  expect(done.services.map((s) => s.service)).toEqual(['integrations', 'ml-serving', 'notifier', 'profile', 'recommender']);

  // A late event about the user (another outbox catching up) is a no-op everywhere it lands.
  const bus = await connectJetStreamBus({ servers: testNatsUrl(), name: 'late-event', prefix: system.prefix });
  const late = create(TaskUpsertedSchema, { taskId: 'late-task', userId, title: 'Late', source: 'manual', priority: 1, updatedAt: timestampFromDate(new Date()), createdAt: timestampFromDate(new Date()) });
  await bus.publish(createEventCodec(subjects, { source: 'integrations' }).encode('signals.task.upserted', late, { userId }));
  await bus.drain();
  await new Promise((r) => setTimeout(r, 1_000));

  expect(await tableCount(testDatabaseUrl(), system.prefix)).toBeGreaterThan(40);
  expect(await tracesOf(testDatabaseUrl(), system.prefix, [userId, email])).toEqual([]);
  expect((await call('GET', `${gateway}/v1/me`, token)).status).toBe(401);
});
