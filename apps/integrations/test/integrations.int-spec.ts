import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DeletionRequestedSchema, ExportRequestedSchema } from '@oo/contracts';
import { exportedPart, startServiceHarness } from '@oo/service-testing';
import { eventually } from '@oo/testing';
import { TOKEN_HELD } from '../src/features/export/integrations-export';
import { integrationsService } from '../src/service';
import { masterKey } from './support/vault-keys';

const start = () =>
  startServiceHarness(integrationsService, { label: 'integrations', env: { VAULT_MASTER_KEYS: masterKey('k1'), MAX_MANUAL_TASKS_PER_USER: '3', ICS_ALLOW_PRIVATE_NETWORKS: 'false' } });

// The real service on port 0 over a fresh schema and a private stream prefix: manual tasks as a
// client makes them and the recommender hears of them, the API's refusals, and the erasure.
describe('integrations: manual tasks, refusals, erasure', () => {
  let h: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h?.stop());

  const upsertsOf = async (taskId: string) => (await h.eventsOn('signals.task.upserted')).filter((e) => e.message.taskId === taskId);

  it('creates, edits, completes and deletes a manual task, each change as an event', async () => {
    const created = await h.call('POST', '/v1/integrations/tasks', 'ada', { title: 'Call the bank', priority: 2, dueAt: '2026-12-03T09:00:00+01:00', estimatedMinutes: 10 });
    expect(created.status).toBe(201);
    const id = created.body['id'] as string;
    expect(created.body).toMatchObject({ source: 'manual', title: 'Call the bank', priority: 2, dueAt: '2026-12-03T08:00:00.000Z', dueAllDay: false, estimatedMinutes: 10 });
    const [first] = await eventually(async () => ((await upsertsOf(id)).length === 1 ? upsertsOf(id) : undefined), 'the upsert on the stream');
    expect(first?.headers['ce-subject']).toBe('ada');
    expect(first?.message).toMatchObject({ taskId: id, userId: 'ada', source: 'manual', externalId: id, title: 'Call the bank', priority: 2, estimatedMinutes: 10 });

    const edited = await h.call('PATCH', `/v1/integrations/tasks/${id}`, 'ada', { title: 'Call the bank about the card', dueAt: null });
    expect(edited).toMatchObject({ status: 200, body: { title: 'Call the bank about the card', dueAt: null } });
    await eventually(async () => ((await upsertsOf(id)).length === 2 ? true : undefined), 'the edit on the stream');

    const listed = await h.call('GET', '/v1/integrations/tasks?source=manual', 'ada');
    expect((listed.body['tasks'] as { id: string }[]).map((t) => t.id)).toEqual([id]);

    expect((await h.call('POST', `/v1/integrations/tasks/${id}/complete`, 'ada')).status).toBe(200);
    const deletions = await eventually(async () => {
      const found = (await h.eventsOn('signals.task.deleted')).filter((e) => e.message.taskId === id);
      return found.length > 0 ? found : undefined;
    }, 'the completion as a deletion');
    expect(deletions[0]?.message).toMatchObject({ userId: 'ada', source: 'manual' });
    expect((await h.call('GET', '/v1/integrations/tasks', 'ada')).body['tasks']).toEqual([]);
    expect((await h.call('DELETE', `/v1/integrations/tasks/${id}`, 'ada')).status).toBe(404);
  });

  it('refuses bad input with problem+json, never a 500', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/v1/integrations/tasks', { title: '' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/integrations/tasks', { title: 'x', priority: 7 }, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/integrations/tasks', { title: 'x', dueAt: 'tomorrow' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/integrations/tasks', { title: 'x', owner: 'bob' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', '/v1/integrations/tasks/not-a-uuid', { title: 'x' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', '/v1/integrations/tasks/6f1c1b9e-54a4-4a53-9a0b-8d7f1c2e3a4b', { title: 'x' }, 404, 'INTEGRATIONS_TASK_NOT_FOUND'],
      ['GET', '/v1/integrations/tasks?cursor=bm9wZQ', undefined, 400, 'INTEGRATIONS_BAD_CURSOR'],
      ['GET', '/v1/integrations/tasks?limit=5000', undefined, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/integrations/feeds', { url: 'ftp://example.com/cal.ics' }, 400, 'INTEGRATIONS_FEED_URL_REJECTED'],
      ['POST', '/v1/integrations/feeds', { url: 'http://127.0.0.1:5432/cal.ics' }, 400, 'INTEGRATIONS_FEED_URL_REJECTED'],
      ['POST', '/v1/integrations/feeds', { url: 'https://calendar.example/x.ics', timeZone: 'Mars/Olympus' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/v1/integrations/connect/todoist', {}, 409, 'INTEGRATIONS_PROVIDER_UNAVAILABLE'],
      ['POST', '/v1/integrations/connect/myspace', {}, 400, 'VALIDATION_FAILED'],
      ['GET', '/v1/integrations/connect/todoist/callback?code=x&state=y', undefined, 409, 'INTEGRATIONS_PROVIDER_UNAVAILABLE'],
      ['POST', '/v1/integrations/connections/6f1c1b9e-54a4-4a53-9a0b-8d7f1c2e3a4b/sync', undefined, 404, 'INTEGRATIONS_CONNECTION_NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await h.call(method, path, 'ada', body);
      expect({ path, body, status: res.status, code: res.body['code'] }).toEqual({ path, body, status, code });
      expect(res.type).toMatch(/^application\/problem\+json/);
    }
    expect((await h.call('GET', '/v1/integrations/tasks', null)).status).toBe(401);
  });

  it('lists the providers, the OAuth ones unavailable when no client is configured', async () => {
    const res = await h.call('GET', '/v1/integrations/providers', 'ada');
    expect(res.body['providers']).toEqual([
      { provider: 'todoist', name: 'Todoist', connect: 'oauth', available: false },
      { provider: 'google_tasks', name: 'Google Tasks', connect: 'oauth', available: false },
      { provider: 'ics', name: 'Calendar feed', connect: 'url', available: true },
    ]);
  });

  it('holds each user to their limit of open manual tasks, and keeps users apart', async () => {
    for (const title of ['one', 'two', 'three']) expect((await h.call('POST', '/v1/integrations/tasks', 'grace', { title })).status).toBe(201);
    const refused = await h.call('POST', '/v1/integrations/tasks', 'grace', { title: 'four' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'INTEGRATIONS_LIMIT_REACHED' } });
    const [graceTask] = (await h.call('GET', '/v1/integrations/tasks', 'grace')).body['tasks'] as { id: string }[];
    expect((await h.call('PATCH', `/v1/integrations/tasks/${graceTask?.id}`, 'ada', { title: 'mine now' })).status).toBe(404);
  });

  it("answers exports.requested with the user's connections and tasks, a token only as held, and nobody else's", async () => {
    await h.call('POST', '/v1/integrations/tasks', 'eve', { title: 'Water the plants' });
    await h.call('POST', '/v1/integrations/tasks', 'mallory', { title: 'Mallory’s plan' });
    const connectionId = '0b5e7d2c-1f3a-4c6e-9d8b-2a4f6c8e0b1d';
    await h.db.insertInto('connections').values({ connection_id: connectionId, user_id: 'eve', provider: 'todoist', account_key: 'eve-at-todoist', status: 'active', cursor: 'sync-cursor', complete_run: null, last_sync_at: null, last_success_at: null, last_error: null, next_sync_at: null, lease_owner: null, lease_until: null }).execute();
    await h.ctx.vault.storeTokens(h.db, 'eve', connectionId, { accessToken: 'eve-secret-token', refreshToken: 'eve-refresh', expiresAt: null });
    await h.publish('exports.requested', create(ExportRequestedSchema, { requestId: 'exp-1', userId: 'eve', requestedAt: timestampFromDate(new Date()) }), 'eve', { source: 'auth' });
    const part = await exportedPart(h, 'exp-1');
    expect(part.service).toBe('integrations');
    expect(part.document['tasks']).toEqual([expect.objectContaining({ title: 'Water the plants', source: 'manual' })]);
    expect(part.document['connections']).toEqual([expect.objectContaining({ connection_id: connectionId, provider: 'todoist', account_key: 'eve-at-todoist' })]);
    expect(part.document['connection_tokens']).toEqual([expect.objectContaining({ connection_id: connectionId, sealed: TOKEN_HELD })]);
    const text = JSON.stringify(part.document);
    // Neither the tokens nor their ciphertext nor the sync cursor leave the service; nor anyone else's rows.
    const [stored] = await h.db.selectFrom('connection_tokens').select('sealed').where('user_id', '=', 'eve').execute();
    expect(text).not.toContain(stored?.sealed.toString('base64').slice(0, 24));
    expect(text).not.toMatch(/eve-secret-token|eve-refresh|sync-cursor|mallory|Mallory/);
    expect(part.fields.filter((f) => !f.description)).toEqual([]);
    await h.db.deleteFrom('connection_tokens').where('user_id', '=', 'eve').execute();
    await h.db.deleteFrom('connections').where('user_id', '=', 'eve').execute();
  });

  it('erases the user on users.deletion.requested: data key first, every row, then the receipt', async () => {
    await h.call('POST', '/v1/integrations/tasks', 'bob', { title: 'Bob’s task' });
    const connectionId = '6f1c1b9e-54a4-4a53-9a0b-8d7f1c2e3a4c';
    await h.db.insertInto('connections').values({ connection_id: connectionId, user_id: 'bob', provider: 'todoist', account_key: '', status: 'active', cursor: null, complete_run: null, last_sync_at: null, last_success_at: null, last_error: null, next_sync_at: null, lease_owner: null, lease_until: null }).execute();
    await h.ctx.vault.storeTokens(h.db, 'bob', connectionId, { accessToken: 'bob-secret', refreshToken: null, expiresAt: null });
    const [sealed] = await h.db.selectFrom('connection_tokens').selectAll().where('user_id', '=', 'bob').execute();
    const request = create(DeletionRequestedSchema, { userId: 'bob', requestId: 'req-1', requestedAt: timestampFromDate(new Date()) });
    await h.publish('users.deletion.requested', request, 'bob', { source: 'auth' });
    const [receipt] = await eventually(async () => {
      const found = await h.eventsOn('users.deletion.receipt');
      return found.length > 0 ? found : undefined;
    }, 'the deletion receipt on the stream');
    expect(receipt?.headers['ce-source']).toBe('/services/integrations');
    expect(receipt?.message).toMatchObject({ userId: '', requestId: 'req-1', service: 'integrations' });
    for (const table of ['data_keys', 'tasks', 'connections', 'connection_tokens', 'busy_times', 'oauth_attempts'] as const) {
      expect({ table, rows: await h.db.selectFrom(table).select('user_id').where('user_id', '=', 'bob').execute() }).toEqual({ table, rows: [] });
    }
    // Even a copy of the sealed tokens taken before the erasure no longer opens: the key is gone.
    if (!sealed) throw new Error('the tokens were not stored');
    await h.db.insertInto('connections').values({ connection_id: connectionId, user_id: 'bob', provider: 'todoist', account_key: '', status: 'active', cursor: null, complete_run: null, last_sync_at: null, last_success_at: null, last_error: null, next_sync_at: null, lease_owner: null, lease_until: null }).execute();
    await h.db.insertInto('connection_tokens').values(sealed).execute();
    expect(await h.ctx.vault.readTokens(h.db, connectionId)).toBeUndefined();
    await h.db.deleteFrom('connections').where('user_id', '=', 'bob').execute();
  });
});
