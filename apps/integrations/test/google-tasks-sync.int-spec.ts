import { connect, connectionWhen, liveTitles, startWithProviders, streamed } from './support/integrations-system';

// The sync engine end to end against the Google stand-in: connect, first and incremental sync,
// token refresh, a revoked grant, failures that keep the cursor, and disconnecting.
describe('integrations: Google Tasks through the sync engine', () => {
  let s: Awaited<ReturnType<typeof startWithProviders>>;
  let connectionId: string;
  const synced = (since: Date) => (row: Record<string, unknown>) => row['status'] === 'active' && (row['last_success_at'] as Date | null)?.getTime() !== undefined && (row['last_success_at'] as Date).getTime() > since.getTime();
  const syncNow = async () => {
    const before = new Date();
    expect((await s.h.call('POST', `/v1/integrations/connections/${connectionId}/sync`, 'ada')).status).toBe(202);
    return connectionWhen(s.h, connectionId, 'the sync to finish', synced(before));
  };

  beforeAll(async () => {
    s = await startWithProviders('google-sync', { GOOGLE_TASKS_PAGE_SIZE: '2' });
    const work = s.google.addList('Work');
    const home = s.google.addList('Home');
    for (const title of ['Write report', 'Review PR', 'Plan sprint']) s.google.addTask(work.id, { title });
    s.google.addTask(home.id, { title: 'Buy milk', due: '2026-12-03T00:00:00.000Z' });
  });
  afterAll(() => s?.stop());

  it('connects with PKCE and offline access, then syncs every open task once, as events', async () => {
    const started = new Date();
    const res = await connect(s.h, 'ada', 'google_tasks');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ provider: 'google_tasks', label: 'Google Tasks' });
    connectionId = res.body['id'] as string;
    await connectionWhen(s.h, connectionId, 'the first sync', synced(started));
    expect(await liveTitles(s.h, 'ada')).toEqual(['Buy milk', 'Plan sprint', 'Review PR', 'Write report']);
    const upserts = (await streamed(s.h, 'signals.task.upserted', 4)).map((e) => e.message);
    expect(upserts.map((m) => m.title).sort()).toEqual(['Buy milk', 'Plan sprint', 'Review PR', 'Write report']);
    const milk = upserts.find((m) => m.title === 'Buy milk');
    // A Google due date is a day: the start of it in the time zone given when connecting.
    expect(milk).toMatchObject({ source: 'google_tasks', dueAllDay: true, priority: 4 });
    expect(milk?.dueAt?.seconds).toBe(BigInt(Date.parse('2026-12-02T23:00:00.000Z') / 1000));
    const view = await s.h.call('GET', '/v1/integrations/connections', 'ada');
    expect(view.body['connections']).toEqual([expect.objectContaining({ id: connectionId, status: 'active', itemCount: 4, lastError: null })]);
    expect(JSON.stringify(view.body)).not.toMatch(/access|refresh|token/i);
  });

  it('picks up additions and completions incrementally, completed ones as deletions', async () => {
    const [work] = s.google.lists();
    if (!work) throw new Error('no list');
    const report = s.google.addTask(work.id, { title: 'Send invoice' });
    const toComplete = (await s.h.db.selectFrom('tasks').select(['external_id', 'task_id']).where('title', '=', 'Review PR').executeTakeFirstOrThrow());
    s.google.completeTask(work.id, toComplete.external_id);
    await syncNow();
    expect(await liveTitles(s.h, 'ada')).toEqual(['Buy milk', 'Plan sprint', 'Send invoice', 'Write report']);
    const deleted = (await streamed(s.h, 'signals.task.deleted', 1)).map((e) => e.message.taskId);
    expect(deleted).toEqual([toComplete.task_id]);
    expect(report.id).toBeTruthy();
  });

  it('refreshes an expired access token without bothering the user', async () => {
    s.google.expireAccessTokens();
    const tokenCalls = s.google.count('token');
    await syncNow();
    expect(s.google.count('token')).toBe(tokenCalls + 1);
  });

  it('keeps the cursor through a server error and backs off, then syncs on', async () => {
    const cursorBefore = (await connectionWhen(s.h, connectionId, 'idle', () => true))['cursor'];
    s.google.failNext({ status: 503, times: 1 });
    await s.h.call('POST', `/v1/integrations/connections/${connectionId}/sync`, 'ada');
    const failed = await connectionWhen(s.h, connectionId, 'the failure recorded', (row) => row['status'] === 'error');
    expect(failed['cursor']).toBe(cursorBefore);
    expect(failed['last_error']).toMatch(/Google/);
    await connectionWhen(s.h, connectionId, 'the retry after the back-off', (row) => row['status'] === 'active' && row['failures'] === 0);
  });

  it('waits as long as a 429 asks', async () => {
    s.google.failNext({ status: 429, retryAfter: 120 });
    const before = Date.now();
    await s.h.call('POST', `/v1/integrations/connections/${connectionId}/sync`, 'ada');
    const waiting = await connectionWhen(s.h, connectionId, 'the rate limit recorded', (row) => row['status'] === 'active' && row['lease_owner'] === null && row['last_error'] !== null);
    expect((waiting['next_sync_at'] as Date).getTime()).toBeGreaterThan(before + 115_000);
    expect((waiting['next_sync_at'] as Date).getTime()).toBeLessThan(before + 125_000);
  });

  it('moves to reauth_required on invalid_grant, says so once as an event, and recovers by connecting again', async () => {
    s.google.expireAccessTokens();
    s.google.expireRefreshTokens();
    await s.h.db.updateTable('connections').set({ next_sync_at: new Date() }).where('connection_id', '=', connectionId).execute();
    const stuck = await connectionWhen(s.h, connectionId, 'reauth_required', (row) => row['status'] === 'reauth_required');
    expect(stuck['last_error']).toMatch(/connect Google Tasks again/);
    const events = await streamed(s.h, 'integrations.connection.reauth_required', 1);
    expect(events.map((e) => e.message)).toEqual([expect.objectContaining({ userId: 'ada', connectionId, provider: 'google_tasks' })]);
    expect((await s.h.call('POST', `/v1/integrations/connections/${connectionId}/sync`, 'ada')).status).toBe(400);

    const again = await connect(s.h, 'ada', 'google_tasks');
    expect(again.body).toMatchObject({ id: connectionId, status: 'active' });
    await connectionWhen(s.h, connectionId, 'syncing again', (row) => row['status'] === 'active' && row['failures'] === 0 && row['last_error'] === null);
  });

  it('disconnects: revokes at Google, deletes the tokens, and deletes its tasks downstream', async () => {
    const revokes = s.google.count('revoke');
    const res = await s.h.call('DELETE', `/v1/integrations/connections/${connectionId}`, 'ada');
    expect(res).toMatchObject({ status: 200, body: { revokedAtProvider: true } });
    expect(s.google.count('revoke')).toBe(revokes + 1);
    expect(await s.h.db.selectFrom('connection_tokens').selectAll().execute()).toEqual([]);
    expect(await liveTitles(s.h, 'ada')).toEqual([]);
    expect((await s.h.call('GET', '/v1/integrations/connections', 'ada')).body['connections']).toEqual([]);
  });

  it('refuses a callback that is not the caller’s own attempt', async () => {
    const start = await s.h.call('POST', '/v1/integrations/connect/google_tasks', 'ada', {});
    const consent = await fetch(start.body['authorizationUrl'] as string, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') ?? '');
    const stolen = await s.h.call('GET', `/v1/integrations/connect/google_tasks/callback${back.search}`, 'mallory');
    expect(stolen).toMatchObject({ status: 400, body: { code: 'INTEGRATIONS_CONNECT_FAILED' } });
    // Single use: even the right user cannot complete an attempt that was tried.
    expect((await s.h.call('GET', `/v1/integrations/connect/google_tasks/callback${back.search}`, 'ada')).status).toBe(400);
  });
});
