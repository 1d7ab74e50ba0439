import { createApiClient } from '@oo/api-client';
import { gatewayApiDocument } from '../src/app';
import { call as send, type CallOptions } from './support/client';
import { startGatewaySystem, type GatewaySystem } from './support/gateway-system';

// The bearer path (native apps) through the real profile and recommender.
describe('the gateway API for an app with a bearer token', () => {
  let s: GatewaySystem;
  const call = async (method: string, path: string, user: string | null, options: CallOptions = {}) =>
    send(s.baseUrl, method, path, { ...options, ...(user ? { token: await s.tokenFor(user, user === 'root' ? { roles: ['admin'] } : {}) } : {}) });

  beforeAll(async () => {
    s = await startGatewaySystem({ label: 'gw-routes' });
  });
  afterAll(() => s?.stop());

  it('says who the caller is (auth, with the gateway service token) and refuses no token with a 401 problem', async () => {
    const me = await call('GET', '/v1/me', 'ada');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'ada', roles: [] });
    expect(s.auth.calls).toContain('GET /internal/v1/users/ada');
    const none = await call('GET', '/v1/me', null);
    expect(none.status).toBe(401);
    expect(none.type).toMatch(/^application\/problem\+json/);
  });

  it('serves a tip, takes feedback on it, and lists it in the history', async () => {
    const tip = await call('POST', '/v1/tips', 'ada');
    expect(tip.status).toBe(200);
    const decisionId = tip.body['decisionId'] as string;
    expect(decisionId).toMatch(/^[0-9a-f-]{36}$/);
    const feedback = await call('POST', `/v1/tips/${decisionId}/feedback`, 'ada', { body: { reaction: 'done' } });
    expect(feedback.status).toBe(202);
    expect(feedback.body).toMatchObject({ decisionId, reaction: 'done' });
    const history = await call('GET', '/v1/tips/history?limit=5', 'ada');
    expect(history.status).toBe(200);
    expect((history.body['items'] as { decisionId: string }[]).map((i) => i.decisionId)).toContain(decisionId);
    // Where a notification's link leads: the tip by its decision id, with the reaction given.
    const one = await call('GET', `/v1/tips/${decisionId}`, 'ada');
    expect(one).toMatchObject({ status: 200, body: { decisionId, channel: 'in_app', reaction: 'done', tip: tip.body['tip'] } });
    expect((await call('GET', `/v1/tips/${decisionId}`, 'bob')).status).toBe(404);
  });

  it("answers another user's tip id with the recommender's 404, passed through", async () => {
    const tip = await call('POST', '/v1/tips', 'ada');
    const theirs = await call('POST', `/v1/tips/${tip.body['decisionId'] as string}/feedback`, 'bob', { body: { reaction: 'dismiss' } });
    expect(theirs.status).toBe(404);
    expect(theirs.type).toMatch(/^application\/problem\+json/);
    expect(theirs.body).toMatchObject({ code: 'RECOMMENDER_TIP_NOT_FOUND', instance: `/v1/tips/${tip.body['decisionId'] as string}/feedback` });
    expect(theirs.body['detail']).toMatch(/was served to you/);
    expect(theirs.body['requestId']).toBe(theirs.headers.get('x-request-id'));
  });

  it("reads the caller's own features, never someone else's", async () => {
    const res = await call('GET', '/v1/me/features', 'ada');
    expect(res.status).toBe(200);
    expect(res.body['userId']).toBe('ada');
    expect((res.body['features'] as { ageSec: number }[]).every((f) => typeof f.ageSec === 'number')).toBe(true);
  });

  it('replaces preferences with PUT and changes only the timezone with a merge patch', async () => {
    const prefs = { timezone: 'Europe/Berlin', locale: 'de-DE', quietHours: { start: '22:00', end: '07:00' }, channels: ['in_app', 'push'], tipCadence: 'low' };
    expect((await call('PUT', '/v1/me/preferences', 'cat', { body: prefs })).status).toBe(200);
    const patched = await call('PATCH', '/v1/me/preferences', 'cat', { body: { timezone: 'Asia/Tokyo' }, type: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ ...prefs, userId: 'cat', timezone: 'Asia/Tokyo' });
    expect((await call('GET', '/v1/me/preferences', 'cat')).body).toMatchObject({ ...prefs, timezone: 'Asia/Tokyo' });
    const plainJson = await call('PATCH', '/v1/me/preferences', 'cat', { body: { timezone: 'UTC' } });
    expect(plainJson.status).toBe(415);
    expect(plainJson.body['code']).toBe('GATEWAY_UNSUPPORTED_MEDIA_TYPE');
  });

  it("refuses bad input at the gateway naming the field, and passes the upstream's own 400 through with its errors", async () => {
    const reaction = await call('POST', '/v1/tips/00000000-0000-4000-8000-000000000000/feedback', 'ada', { body: { reaction: 'love' } });
    expect(reaction.status).toBe(400);
    expect(reaction.body['errors']).toEqual([expect.objectContaining({ path: 'body.reaction' })]);
    const prefs = { timezone: 'Mars/Olympus', channels: ['in_app'], tipCadence: 'low' };
    const upstream = await call('PUT', '/v1/me/preferences', 'ada', { body: prefs });
    expect(upstream.status).toBe(400);
    expect(upstream.body).toMatchObject({ code: 'VALIDATION_FAILED', instance: '/v1/me/preferences' });
    expect(upstream.body['errors']).toEqual([expect.objectContaining({ path: 'body.timezone' })]);
  });

  it('records and lists consents', async () => {
    const consent = { purpose: 'push_notifications', version: 'v1', textHash: 'a'.repeat(64), granted: true };
    const created = await call('POST', '/v1/me/consents', 'dan', { body: consent });
    expect(created.status).toBe(201);
    const list = await call('GET', '/v1/me/consents?limit=10', 'dan');
    expect(list.body).toMatchObject({ userId: 'dan', consents: [expect.objectContaining({ purpose: 'push_notifications', granted: true })], nextCursor: null });
  });

  it('lets only admins use the admin routes', async () => {
    expect((await call('GET', '/v1/admin/data-quality', 'ada')).status).toBe(403);
    expect((await call('GET', '/v1/admin/users/ada/profile', 'ada')).body['code']).toBe('GATEWAY_ADMIN_REQUIRED');
    const profile = await call('GET', '/v1/admin/users/ada/profile', 'root');
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ user: { id: 'ada' }, preferences: { userId: 'ada' }, features: { userId: 'ada' } });
    expect((await call('POST', '/v1/admin/users/ada/features/rebuild', 'root')).status).toBe(200);
    const quality = await call('GET', '/v1/admin/data-quality?limit=2', 'root');
    expect(quality.status).toBe(200);
    expect((quality.body['features'] as unknown[]).length).toBe(2);
    const nudges = await call('GET', '/v1/admin/nudges/outcomes?since=2026-01-01T00:00:00Z', 'root');
    expect(nudges).toMatchObject({ status: 200, body: { since: '2026-01-01T00:00:00.000Z', channels: [] } });
    expect((await call('GET', '/v1/admin/nudges/outcomes', 'ada')).status).toBe(403);
    expect((await call('GET', '/v1/admin/policies', 'ada')).status).toBe(403);
    expect(await call('GET', '/v1/admin/policies', 'root')).toMatchObject({ status: 200, body: { assignment: null, history: [] } });
    const evaluation = await call('POST', '/v1/admin/policies/promotions', 'root', { body: { since: '2026-01-01T00:00:00Z', dryRun: true } });
    expect(evaluation).toMatchObject({ status: 200, body: { promoted: false, evaluation: { promote: null } } });
    expect((await call('POST', '/v1/admin/policies/promotions', 'ada', { body: { since: '2026-01-01T00:00:00Z' } })).status).toBe(403);
    // The decision log's admin views: ada's tips above are in it, with the recommender's answer passed through.
    const decisions = await call('GET', '/v1/admin/users/ada/decisions?limit=3', 'root');
    expect(decisions.status).toBe(200);
    expect((decisions.body['decisions'] as { candidates: unknown[] }[]).length).toBeGreaterThan(0);
    const learning = await call('GET', '/v1/admin/learning?windowMinutes=60', 'root');
    expect(learning).toMatchObject({ status: 200, body: { policies: expect.arrayContaining([expect.objectContaining({ label: 'uniform' })]) } });
    expect((await call('GET', '/v1/admin/learning', 'ada')).status).toBe(403);
    expect((await call('GET', '/v1/admin/learning?windowMinutes=0', 'root')).status).toBe(400);
    // The broker's view, through the gateway's own JetStream connection.
    const consumers = await call('GET', '/v1/admin/events/consumers', 'root');
    expect(consumers.status).toBe(200);
    expect(Array.isArray(consumers.body['consumers'])).toBe(true);
    expect(await call('GET', '/v1/admin/events/dead-letters?limit=5', 'root')).toMatchObject({ status: 200, body: { deadLetters: [] } });
    expect(await call('POST', '/v1/admin/events/dead-letters/999999/replay', 'root')).toMatchObject({ status: 404, body: { code: 'GATEWAY_DEAD_LETTER_NOT_FOUND' } });
    expect((await call('GET', '/v1/admin/events/consumers', 'ada')).status).toBe(403);
    expect((await call('POST', '/v1/admin/keys/rotate', 'ada')).status).toBe(403);
    expect((await call('POST', '/v1/admin/keys/rotate', 'root')).body).toMatchObject({ signingKid: expect.any(String) });
  });

  it('deletes an account only after a recent sign-in, and shows the progress without a session', async () => {
    const asUser = async (authTime?: number) => ({ token: await s.tokenFor('del-ada', authTime === undefined ? {} : { auth_time: authTime }) });
    const nowSec = Math.floor(Date.now() / 1000);
    for (const stale of [undefined, nowSec - 20 * 60]) {
      const refused = await send(s.baseUrl, 'DELETE', '/v1/me', await asUser(stale));
      expect(refused).toMatchObject({ status: 401, body: { code: 'GATEWAY_REAUTH_REQUIRED' } });
      expect(refused.type).toMatch(/^application\/problem\+json/);
    }
    const accepted = await send(s.baseUrl, 'DELETE', '/v1/me', await asUser(nowSec - 60));
    expect(accepted).toMatchObject({ status: 202, body: { requestId: expect.any(String), dueAt: expect.any(String) } });
    const statusUrl = accepted.body['statusUrl'] as string;
    expect(statusUrl).toBe(`/v1/deletions/${accepted.body['requestId'] as string}`);
    expect(await send(s.baseUrl, 'GET', statusUrl)).toMatchObject({ status: 200, body: { requestId: accepted.body['requestId'], status: 'pending' } });
    expect((await send(s.baseUrl, 'GET', '/v1/deletions/not-a-request')).status).toBe(400);
    expect((await send(s.baseUrl, 'GET', '/v1/deletions/00000000-0000-4000-8000-000000000000')).body).toMatchObject({ code: 'AUTH_DELETION_NOT_FOUND' });
    expect((await call('GET', '/v1/admin/deletions', 'ada')).status).toBe(403);
    expect(await call('GET', '/v1/admin/deletions?status=pending', 'root')).toMatchObject({ status: 200, body: { deletions: [expect.objectContaining({ requestId: accepted.body['requestId'] })] } });
    expect((await call('GET', '/v1/admin/deletions?status=lost', 'root')).status).toBe(400);
  });

  it("starts a data export, shows it with its links, streams the zip, and hides it from everyone else", async () => {
    const started = await call('POST', '/v1/me/export', 'exp-ada');
    expect(started).toMatchObject({ status: 202, body: { exportId: expect.any(String), status: 'ready' } });
    const statusUrl = `/v1/me/export/${started.body['exportId'] as string}`;
    expect(started.headers.get('location')).toBe(statusUrl);
    expect(await call('GET', statusUrl, 'exp-ada')).toMatchObject({ status: 200, body: { statusUrl, downloadUrl: `${statusUrl}/archive`, partsExpected: 1 } });
    const archive = await call('GET', `${statusUrl}/archive`, 'exp-ada');
    expect(archive.status).toBe(200);
    expect(archive.type).toBe('application/zip');
    expect(archive.headers.get('content-disposition')).toMatch(/^attachment; filename="oo-export-/);
    // Another user's: not found, as if it did not exist; a bad id is the gateway's own 400.
    for (const path of [statusUrl, `${statusUrl}/archive`]) {
      const other = await call('GET', path, 'exp-bob');
      expect(other).toMatchObject({ status: 404, body: { code: 'AUTH_EXPORT_NOT_FOUND' } });
      expect(other.type).toMatch(/^application\/problem\+json/);
    }
    expect(await call('GET', '/v1/me/export/not-an-id', 'exp-ada')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await call('POST', '/v1/me/export', null)).status).toBe(401);
  });

  it('refuses a service token at the edge', async () => {
    const res = await send(s.baseUrl, 'GET', '/v1/me', { token: await s.tokenFor('recommender', { token_use: 'service' }) });
    expect(res.status).toBe(403);
    expect(res.body['code']).toBe('GATEWAY_USER_REQUIRED');
  });

  it('answers every documented route with the route itself, never a router 404 (here or upstream)', async () => {
    const doc = gatewayApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> };
    const sample: Record<string, string> = { id: '00000000-0000-4000-8000-000000000000', userId: 'ada' };
    const answers: string[] = [];
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        const path = template.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => sample[name] ?? 'x');
        const res = await call(method.toUpperCase(), path, 'root');
        if (res.status === 404 && ['ROUTE_NOT_FOUND', undefined].includes(res.body['code'] as string | undefined)) answers.push(`${method} ${template} → router 404`);
        if (res.status >= 500) answers.push(`${method} ${template} → ${res.status} ${String(res.body['code'])}`);
      }
    }
    expect(Object.keys(doc.paths).length).toBeGreaterThan(15);
    expect(answers).toEqual([]);
  });

  it('works with the generated client (@oo/api-client)', async () => {
    const api = createApiClient({ baseUrl: s.baseUrl, accessToken: () => s.tokenFor('gus') });
    const { data: tip, response } = await api.POST('/v1/tips');
    expect(response.status).toBe(200);
    const feedback = await api.POST('/v1/tips/{id}/feedback', { params: { path: { id: tip?.decisionId ?? '' } }, body: { reaction: 'snooze' } });
    expect(feedback.data?.reaction).toBe('snooze');
    const patched = await api.PATCH('/v1/me/preferences', { body: { timezone: 'Europe/Paris' } });
    expect(patched.data?.timezone).toBe('Europe/Paris');
    const refused = await api.POST('/v1/tips/{id}/feedback', { params: { path: { id: 'not-a-uuid' } }, body: { reaction: 'done' } });
    expect(refused.error?.code).toBe('VALIDATION_FAILED');
  });
});
