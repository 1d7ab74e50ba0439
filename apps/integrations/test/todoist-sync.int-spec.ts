import { connect, connectionWhen, liveTitles, startWithProviders, streamed } from './support/integrations-system';

// The sync engine against the Todoist stand-in: one sync answer per run, completions and
// deletions, a revoked token (no refresh token at Todoist), a cursor Todoist keeps refusing.
describe('integrations: Todoist through the sync engine', () => {
  let s: Awaited<ReturnType<typeof startWithProviders>>;
  let connectionId: string;
  const syncNow = async () => {
    const before = Date.now();
    await s.h.call('POST', `/v1/integrations/connections/${connectionId}/sync`, 'ada');
    return connectionWhen(s.h, connectionId, 'the sync to finish', (row) => row['status'] === 'active' && ((row['last_success_at'] as Date | null)?.getTime() ?? 0) > before);
  };

  beforeAll(async () => {
    s = await startWithProviders('todoist-sync', { SYNC_BACKOFF_BASE_MS: '20' });
    s.todoist.signIn('ada-at-todoist');
    s.todoist.addTask({ user: 'ada-at-todoist', content: 'Pay rent', priority: 4, due: { date: '2026-12-05' }, duration: { amount: 15, unit: 'minute' } });
    s.todoist.addTask({ user: 'ada-at-todoist', content: 'Book dentist', priority: 1 });
  });
  afterAll(() => s?.stop());

  it('connects (the authorization asks for data:read), and the first sync brings every open task', async () => {
    const started = Date.now();
    const offer = await s.h.call('POST', '/v1/integrations/connect/todoist', 'ada', {});
    const asked = new URL(offer.body['authorizationUrl'] as string).searchParams;
    expect({ scope: asked.get('scope'), pkce: asked.has('code_challenge'), state: (asked.get('state') ?? '').length }).toEqual({ scope: 'data:read', pkce: false, state: 43 });
    const res = await connect(s.h, 'ada', 'todoist');
    expect(res).toMatchObject({ status: 201, body: { provider: 'todoist', label: 'Todoist' } });
    connectionId = res.body['id'] as string;
    await connectionWhen(s.h, connectionId, 'the first sync', (row) => ((row['last_success_at'] as Date | null)?.getTime() ?? 0) > started);
    expect(await liveTitles(s.h, 'ada')).toEqual(['Book dentist', 'Pay rent']);
    const rent = (await streamed(s.h, 'signals.task.upserted', 2)).find((e) => e.message.title === 'Pay rent')?.message;
    // Todoist's priority 4 is its most urgent; a date-only due is that day in the connecting browser's zone.
    expect(rent).toMatchObject({ source: 'todoist', priority: 1, dueAllDay: true, estimatedMinutes: 15 });
    expect(rent?.dueAt?.seconds).toBe(BigInt(Date.parse('2026-12-04T23:00:00Z') / 1000));
  });

  it('turns a completion and a deletion at Todoist into deletions, and a change into an upsert', async () => {
    const [rent, dentist] = await s.h.db.selectFrom('tasks').select(['external_id', 'title']).orderBy('title', 'desc').execute();
    s.todoist.completeTask(rent?.external_id ?? '');
    s.todoist.updateTask(dentist?.external_id ?? '', { content: 'Book the dentist for January' });
    const extra = s.todoist.addTask({ user: 'ada-at-todoist', content: 'Throw away' });
    await syncNow();
    s.todoist.deleteTask(extra.id);
    await syncNow();
    expect(await liveTitles(s.h, 'ada')).toEqual(['Book the dentist for January']);
    expect((await streamed(s.h, 'signals.task.deleted', 2)).length).toBe(2);
  });

  it('starts over from a full listing when Todoist keeps refusing the stored cursor', async () => {
    s.todoist.failNext({ status: 400, times: 3 });
    await s.h.call('POST', `/v1/integrations/connections/${connectionId}/sync`, 'ada');
    const restarted = await connectionWhen(s.h, connectionId, 'the cursor dropped', (row) => row['cursor'] === null);
    expect(restarted['last_error']).toMatch(/starts over from a full listing/);
    await connectionWhen(s.h, connectionId, 'a full sync after the restart', (row) => row['status'] === 'active' && row['cursor'] !== null && row['failures'] === 0);
    // A full listing finds nothing new and deletes nothing that is still open.
    expect(await liveTitles(s.h, 'ada')).toEqual(['Book the dentist for January']);
  });

  it('asks the user to connect again when Todoist revokes the token (it has no refresh token to try)', async () => {
    s.todoist.revokeAllTokens();
    await s.h.call('POST', `/v1/integrations/connections/${connectionId}/sync`, 'ada');
    const stuck = await connectionWhen(s.h, connectionId, 'reauth_required', (row) => row['status'] === 'reauth_required');
    expect(stuck['last_error']).toMatch(/Todoist/);
    expect((await streamed(s.h, 'integrations.connection.reauth_required', 1)).map((e) => e.message.provider)).toEqual(['todoist']);
    const view = await s.h.call('GET', '/v1/integrations/connections', 'ada');
    expect(view.body['connections']).toEqual([expect.objectContaining({ status: 'reauth_required', lastError: expect.stringMatching(/Todoist/) })]);
  });
});
