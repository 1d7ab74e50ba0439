import { FUZZ_SAMPLE_ID, fuzzRoutes, listRoutes, type FuzzCaller } from '@oo/testing';
import { startProfileHarness, type ProfileHarness } from './support/profile-harness';

// Valid bodies, so each field can be attacked while the rest of the body stays valid.
const preferences = { timezone: 'Europe/Berlin', locale: 'de-DE', quietHours: { start: '22:00', end: '07:00' }, channels: ['in_app'], tipCadence: 'low' };
const consent = { purpose: 'push_notifications', version: 'v1', textHash: 'a'.repeat(64), granted: true };
const bodies = { 'PUT /v1/profiles/:userId/preferences': preferences, 'POST /v1/profiles/:userId/consents': consent };

describe('profile under hostile input', () => {
  let h: ProfileHarness;
  const token = (caller: FuzzCaller, userId = FUZZ_SAMPLE_ID) =>
    caller === 'service' ? h.tokenFor('recommender', [], { token_use: 'service' }) : caller === 'admin' ? h.tokenFor('root', ['admin']) : h.tokenFor(userId);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token('admin')}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { code?: string; errors?: { path: string; message: string }[] } };
  };

  beforeAll(async () => {
    h = await startProfileHarness({ label: 'profile-fuzz' });
  });
  afterAll(() => h.stop());

  it('answers every hostile request to every route, as a user, an admin and a service, with less than 500', async () => {
    const routes = listRoutes(h.service.server);
    expect(routes).toEqual(expect.arrayContaining([{ method: 'PUT', path: '/v1/profiles/:userId/preferences' }, { method: 'GET', path: '/readyz' }]));
    const report = await fuzzRoutes({ baseUrl: h.baseUrl, routes, token, bodies });
    expect(report.sent).toBeGreaterThan(routes.length * 3 * 20);
    expect(report.failures.map((f) => `${f.caller} ${f.method} ${f.route} [${f.case}] → ${f.status}`)).toEqual([]);
  });

  it('answers a broken percent-encoding in the path with a 400 problem naming it', async () => {
    const res = await call('GET', '/v1/profiles/%E0%A4%A/features');
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.code).toBe('MALFORMED_PATH');
  });

  it('answers unknown fields, wrong types, oversized values and NUL characters with a 400 naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['/preferences', { ...preferences, colour: 'blue' }, 'body'],
      ['/preferences', { ...preferences, channels: 'in_app' }, 'body.channels'],
      ['/preferences', { ...preferences, timezone: 'x'.repeat(10_000) }, 'body.timezone'],
      ['/consents', { ...consent, version: 'v\u00001' }, 'body.version'],
      ['/consents', { ...consent, extra: 1 }, 'body'],
    ];
    for (const [path, body, field] of cases) {
      const res = await call(path === '/consents' ? 'POST' : 'PUT', `/v1/profiles/${FUZZ_SAMPLE_ID}${path}`, body);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.errors?.map((e) => e.path)).toContain(field);
    }
  });
});
