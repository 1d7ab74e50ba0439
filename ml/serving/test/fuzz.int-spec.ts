import { fuzzRoutes, listRoutes, type FuzzCaller } from '@oo/testing';
import { scoreRequest } from './support/decisions';
import { startMlHarness, type MlHarness } from './support/ml-serving-harness';

describe('ml-serving under hostile input', () => {
  let h: MlHarness;

  beforeAll(async () => {
    h = await startMlHarness({ label: 'ml-fuzz' });
  });
  afterAll(() => h.stop());

  it('answers every hostile request to every route, as a user, an admin and a service, with less than 500', async () => {
    const routes = listRoutes(h.service.server);
    expect(routes).toEqual(expect.arrayContaining([{ method: 'POST', path: '/v1/score' }, { method: 'GET', path: '/v1/models/current' }]));
    const token = (caller: FuzzCaller) => h.token(caller);
    const bodies = { 'POST /v1/score': scoreRequest('u1', 'd1', ['linucb']) };
    const report = await fuzzRoutes({ baseUrl: h.baseUrl, routes, token, bodies });
    expect(report.sent).toBeGreaterThan(routes.length * 3 * 20);
    expect(report.failures.map((f) => `${f.caller} ${f.method} ${f.route} [${f.case}] → ${f.status}`)).toEqual([]);
  });
});
