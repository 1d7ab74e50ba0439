import { FUZZ_SAMPLE_ID, fuzzRoutes, listRoutes, type FuzzCaller } from '@oo/testing';
import { startGatewaySystem, type GatewaySystem } from './support/gateway-system';

// Valid bodies, so each field can be attacked while the rest stays valid.
const bodies = {
  'PUT /v1/me/preferences': { timezone: 'Europe/Berlin', locale: 'de-DE', quietHours: { start: '22:00', end: '07:00' }, channels: ['in_app'], tipCadence: 'low' },
  'POST /v1/me/consents': { purpose: 'push_notifications', version: 'v1', textHash: 'a'.repeat(64), granted: true },
  'POST /v1/tips/:id/feedback': { reaction: 'done' },
  'POST /v1/auth/token': { grant_type: 'refresh_token', refresh_token: 'rt:ada', client_id: 'oo-native' },
  'POST /v1/auth/refresh': { refresh_token: 'rt:ada', client_id: 'oo-native' },
  'POST /v1/auth/sign-out': { refresh_token: 'rt:ada', client_id: 'oo-native' },
};

describe('the gateway under hostile input', () => {
  let s: GatewaySystem;
  const token = (caller: FuzzCaller, userId = FUZZ_SAMPLE_ID) =>
    caller === 'service' ? s.tokenFor('recommender', { token_use: 'service' }) : caller === 'admin' ? s.tokenFor('root', { roles: ['admin'] }) : s.tokenFor(userId);

  beforeAll(async () => {
    // The fuzzer sends thousands of requests from one address: limits out of its way.
    s = await startGatewaySystem({ label: 'gw-fuzz', env: { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_USER: '1000000' } });
  });
  afterAll(() => s?.stop());

  it('answers every hostile request to every route, as a user, an admin and a service, with less than 500', async () => {
    const routes = listRoutes(s.gateway.service.server);
    expect(routes).toEqual(expect.arrayContaining([{ method: 'PATCH', path: '/v1/me/preferences' }, { method: 'GET', path: '/v1/tips/history' }]));
    const report = await fuzzRoutes({ baseUrl: s.baseUrl, routes, token, bodies, params: { id: '00000000-0000-4000-8000-000000000000', userId: 'ada' } });
    expect(report.sent).toBeGreaterThan(routes.length * 3 * 20);
    expect(report.failures.map((f) => `${f.caller} ${f.method} ${f.route} [${f.case}] → ${f.status} ${f.detail.slice(0, 120)}`)).toEqual([]);
    // Its length grows with the route table (three callers × every case × every route): on a loaded
    // two-core machine 60 s was no longer enough once the admin console's routes came.
  }, 240_000);
});
