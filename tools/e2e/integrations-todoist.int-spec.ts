// A person connects Todoist through the gateway, adds a task there, and the next tips can
// suggest it; they complete it there, and it is no longer suggested. Every service as its own
// process on the real Postgres and JetStream, Todoist played by its local stand-in.
import { startTodoistServer, type TodoistServer } from '@oo/provider-servers';
import { eventually } from '@oo/testing';
import type { RunningSystem } from '../system/launch-system';
import { call, launchTestSystem, SERVICE_WAIT_MS } from './e2e-support';

jest.setTimeout(180_000);

let todoist: TodoistServer;
let system: RunningSystem & { prefix: string };

beforeAll(async () => {
  todoist = await startTodoistServer();
  system = await launchTestSystem('todoist-e2e', {
    ...todoist.integrationsEnv,
    PROVIDERS_ALLOW_HTTP: 'true',
    SYNC_TICK_MS: '200',
    SYNC_INTERVAL_MS: '3600000',
  });
});

afterAll(async () => {
  await system?.stop();
  await todoist?.stop();
});

type Served = { tip?: { taskId?: string } } | undefined;

it('suggests a task added at Todoist after a sync, and stops once it is completed there', async () => {
  const gateway = system.url('gateway');
  const { accessToken: token } = await system.signIn('todoist-ada');
  todoist.signIn('ada-at-todoist');

  const start = await call('POST', `${gateway}/v1/me/connections/todoist/connect`, token, { timeZone: 'Europe/Berlin' });
  expect(start.status).toBe(200);
  const consent = await fetch((start.body as { authorizationUrl: string }).authorizationUrl, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location') ?? '');
  expect(callback.pathname).toBe('/v1/connections/todoist/callback');
  const connected = await call('GET', `${gateway}${callback.pathname}${callback.search}`, token);
  expect(connected).toMatchObject({ status: 201, body: { provider: 'todoist', status: 'active' } });
  const connectionId = (connected.body as { id: string }).id;

  const added = todoist.addTask({ user: 'ada-at-todoist', content: 'File the expense report', priority: 4, due: { date: '2026-12-01' } });
  await call('POST', `${gateway}/v1/me/connections/${connectionId}/sync`, token);
  const mine = await eventually(async () => {
    const res = await call('GET', `${gateway}/v1/me/tasks?source=todoist`, token);
    const tasks = (res.body as { tasks: { id: string; title: string }[] }).tasks;
    return tasks.length === 1 ? tasks[0] : undefined;
  }, 'the task synced into integrations', SERVICE_WAIT_MS, 100);
  expect(mine?.title).toBe('File the expense report');

  await eventually(async () => {
    const tip = await call('POST', `${gateway}/v1/tips`, token);
    return tip.status === 200 && (tip.body as Served)?.tip?.taskId === mine?.id ? true : undefined;
  }, 'a tip about the Todoist task', SERVICE_WAIT_MS, 200);

  todoist.completeTask(added.id);
  await call('POST', `${gateway}/v1/me/connections/${connectionId}/sync`, token);
  await eventually(async () => {
    const res = await call('GET', `${gateway}/v1/me/tasks?source=todoist`, token);
    return (res.body as { tasks: unknown[] }).tasks.length === 0 ? true : undefined;
  }, 'the completion synced', SERVICE_WAIT_MS, 100);
  // Once the recommender has the deletion, no tip names the task again.
  await eventually(async () => {
    const tip = await call('POST', `${gateway}/v1/tips`, token);
    return tip.status === 204 || (tip.body as Served)?.tip?.taskId !== mine?.id ? true : undefined;
  }, 'tips without the completed task', SERVICE_WAIT_MS, 200);
  for (let i = 0; i < 5; i++) {
    const tip = await call('POST', `${gateway}/v1/tips`, token);
    expect((tip.body as Served)?.tip?.taskId).not.toBe(mine?.id);
  }
  const connections = await call('GET', `${gateway}/v1/me/connections`, token);
  expect((connections.body as { connections: unknown[] }).connections).toEqual([expect.objectContaining({ id: connectionId, status: 'active', itemCount: 0 })]);
});
