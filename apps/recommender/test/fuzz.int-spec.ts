import { fuzzRoutes, listRoutes, type FuzzCaller } from '@oo/testing';
import { startRecommenderHarness, type RecommenderHarness } from './support/recommender-harness';

describe('recommender under hostile input', () => {
  let h: RecommenderHarness;

  beforeAll(async () => {
    h = await startRecommenderHarness({ label: 'recommender-fuzz' });
  });
  afterAll(() => h.stop());

  it('answers every hostile request to every route, as a user, an admin and a service, with less than 500', async () => {
    const routes = listRoutes(h.service.server);
    expect(routes).toEqual(expect.arrayContaining([{ method: 'POST', path: '/v1/tips/:decisionId/feedback' }, { method: 'GET', path: '/v1/tips/history' }]));
    const token = (caller: FuzzCaller, userId: string) =>
      caller === 'service' ? h.serviceToken : h.tokenFor(caller === 'admin' ? 'root' : userId, caller === 'admin' ? { roles: ['admin'] } : {});
    const bodies = { 'POST /v1/tips/:decisionId/feedback': { reaction: 'done' } };
    const report = await fuzzRoutes({ baseUrl: h.baseUrl, routes, token, bodies });
    expect(report.sent).toBeGreaterThan(routes.length * 3 * 20);
    expect(report.failures.map((f) => `${f.caller} ${f.method} ${f.route} [${f.case}] → ${f.status}`)).toEqual([]);
  });
});
