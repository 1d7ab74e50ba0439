// A data export through the gateway on a fresh system: a user with preferences, a consent, a task
// of their own, a tip and feedback on it asks for their data; every service that holds user data
// sends its part over JetStream, auth builds the zip, and the archive holds one JSON file per
// service with that user's data and a README describing every field. Someone else cannot see it.
import { strFromU8, unzipSync } from 'fflate';
import { eventually } from '@oo/testing';
import type { RunningSystem } from '../system/launch-system';
import { call, launchTestSystem, SERVICE_WAIT_MS } from './e2e-support';

jest.setTimeout(240_000);

const CONTRIBUTORS = ['auth', 'integrations', 'ml-serving', 'notifier', 'profile', 'recommender'];
let system: RunningSystem & { prefix: string };

beforeAll(async () => {
  system = await launchTestSystem('export-e2e');
});
afterAll(() => system?.stop());

it("exports everything oO holds about a user as one archive, described field by field, and only to them", async () => {
  const gateway = system.url('gateway');
  const { accessToken: token, userId } = await system.signIn('export-ada');
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, `${gateway}${path}`, token, body);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  };
  await ok('PUT', '/v1/me/preferences', { timezone: 'Europe/Lisbon', channels: ['in_app', 'push'], tipCadence: 'high' });
  await ok('POST', '/v1/me/consents', { purpose: 'push_notifications', version: '3', textHash: 'e'.repeat(64), granted: true });
  await ok('POST', '/v1/me/tasks', { title: 'Book the dentist', priority: 3 });
  await eventually(async () => ((await ok('GET', '/v1/me/tasks'))['tasks'] as unknown[]).length === 1 || undefined, 'the task', SERVICE_WAIT_MS, 100);
  const tip = await eventually(async () => {
    const res = await call('POST', `${gateway}/v1/tips`, token);
    return res.status === 200 ? (res.body as { decisionId: string }) : undefined;
  }, 'a tip', SERVICE_WAIT_MS, 100);
  await ok('POST', `/v1/tips/${tip.decisionId}/feedback`, { reaction: 'done' });
  // The feedback has reached the services that keep it before the export reads them.
  await eventually(async () => ((await ok('GET', '/v1/me/features'))['features'] ? true : undefined), 'features', SERVICE_WAIT_MS, 100);

  const started = await fetch(`${gateway}/v1/me/export`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(started.status).toBe(202);
  const location = started.headers.get('location') ?? '';
  expect((await started.json()) as unknown).toMatchObject({ status: 'collecting', partsExpected: CONTRIBUTORS.length, statusUrl: location });
  const ready = await eventually(async () => {
    const status = await ok('GET', location);
    if (status['status'] === 'failed') throw new Error(`the export failed: ${String(status['failure'])}`);
    return status['status'] === 'ready' ? status : undefined;
  }, 'the export ready', 60_000, 200);
  expect(ready).toMatchObject({ partsReceived: CONTRIBUTORS.length, downloadUrl: `${location}/archive`, expiresAt: expect.any(String) });
  expect((ready['services'] as { service: string; status: string }[]).map((s) => [s.service, s.status])).toEqual(CONTRIBUTORS.map((s) => [s, 'received']));

  const download = await fetch(`${gateway}${ready['downloadUrl'] as string}`, { headers: { authorization: `Bearer ${token}` } });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/zip');
  expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="oo-export-.+\.zip"$/);
  const files = unzipSync(new Uint8Array(await download.arrayBuffer()));
  expect(Object.keys(files).sort()).toEqual([...CONTRIBUTORS.map((s) => `${s}.json`), 'README.md'].sort());
  const json = (service: string) => JSON.parse(strFromU8(files[`${service}.json`] as Uint8Array)) as Record<string, Record<string, unknown>[]>;
  expect(json('auth')['users']).toEqual([expect.objectContaining({ user_id: userId })]);
  expect(json('profile')['preferences']).toEqual([expect.objectContaining({ tip_cadence: 'high' })]);
  expect(json('profile')['consent_events']).toEqual([expect.objectContaining({ purpose: 'push_notifications', version: '3' })]);
  expect(json('integrations')['tasks']).toEqual([expect.objectContaining({ title: 'Book the dentist' })]);
  expect(json('recommender')['decisions']).toEqual([expect.objectContaining({ decision_id: tip.decisionId })]);
  expect(json('recommender')['tip_feedback']).toEqual([expect.objectContaining({ decision_id: tip.decisionId, reaction: 'done' })]);
  expect(json('ml-serving')['decisions']).toEqual([expect.objectContaining({ decision_id: tip.decisionId })]);
  expect(json('notifier')['preferences']).toEqual([expect.objectContaining({ timezone: 'Europe/Lisbon' })]);
  const readme = strFromU8(files['README.md'] as Uint8Array);
  for (const service of CONTRIBUTORS) expect(readme).toContain(`## ${service} — \`${service}.json\``);
  expect(readme).toMatch(/\| `tip_cadence` \| text \| How often you want tips/);
  expect(readme).toMatch(/\| `title` \| text \| The task as you wrote it/);
  expect(readme).not.toContain('(no description)');

  // Only the owner: another user's token finds nothing there.
  const other = await system.signIn('export-bob');
  for (const path of [location, `${location}/archive`]) {
    const res = await call('GET', `${gateway}${path}`, other.accessToken);
    expect(res).toMatchObject({ status: 404, body: { code: 'AUTH_EXPORT_NOT_FOUND' } });
  }
  expect((await call('GET', `${gateway}/v1/me/export/not-an-id`, token)).status).toBe(400);
});
