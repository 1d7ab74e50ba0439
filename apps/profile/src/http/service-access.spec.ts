import type { Express } from 'express';
import request from 'supertest';
import type { Kysely } from '@oo/db';
import { createBaseApp, createJwtVerifier, finishApp, Readiness, requireAuth } from '@oo/http';
import { createLogger } from '@oo/logger';
import { createTestAuth, type TestAuth } from '@oo/testing';
import type { ProfileDatabase } from '../db/database';
import type { ProfileFeaturesService } from '../features/profile-features/profile-features.service';
import { consentsRouter } from './consents.router';
import { featuresRouter } from './features.router';
import { preferencesRouter } from './preferences.router';

// Which service tokens may call which profile route. The handlers behind a refusal never run, so
// the database is a stand-in that fails loudly if one does.
describe('service tokens on the profile API', () => {
  let auth: TestAuth;
  let app: Express;

  beforeAll(async () => {
    auth = await createTestAuth();
    const verifier = createJwtVerifier({ issuer: auth.issuer, jwks: JSON.parse(auth.jwks) });
    const features = {
      getProfile: async (userId: string) => ({ userId, registryVersion: 'r-test', features: [] }),
      rebuild: async (userId: string) => ({ userId, registryVersion: 'r-test', features: [] }),
    } as unknown as ProfileFeaturesService;
    const db = new Proxy({}, { get: () => { throw new Error('a refused request reached the database'); } }) as Kysely<ProfileDatabase>;
    const deps = { db, enqueue: async () => undefined as never, clock: () => new Date() };
    const base = createBaseApp({ service: 'profile', log: createLogger({ service: 'profile', level: 'silent' }), readiness: new Readiness(), metrics: false });
    base.use('/v1/profiles', requireAuth(verifier));
    base.use(featuresRouter(features));
    base.use(preferencesRouter(db, { ...deps, features }));
    base.use(consentsRouter(deps));
    app = finishApp(base);
  });

  const call = async (method: 'get' | 'post', path: string, token: string) => request(app)[method](path).set('Authorization', `Bearer ${token}`);
  const service = (name: string) => auth.sign(name, { token_use: 'service' });

  it("lets the recommender read a user's features, as it does for every decision", async () => {
    const res = await call('get', '/v1/profiles/cleo/features', await service('recommender'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: 'cleo' });
  });

  it.each([
    ['post', '/v1/profiles/cleo/features/rebuild'],
    ['get', '/v1/profiles/cleo/preferences'],
    ['get', '/v1/profiles/cleo/consents'],
  ] as const)('refuses the recommender %s %s with 403 (it has no use for it)', async (method, path) => {
    const res = await call(method, path, await service('recommender'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AUTH_FORBIDDEN', detail: 'the recommender service may not call this route' });
  });

  it.each([
    ['get', '/v1/profiles/cleo/features'],
    ['post', '/v1/profiles/cleo/features/rebuild'],
    ['get', '/v1/profiles/cleo/preferences'],
    ['get', '/v1/profiles/cleo/consents'],
  ] as const)("refuses another service's token on %s %s with 403", async (method, path) => {
    const res = await call(method, path, await service('notifier'));
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'AUTH_FORBIDDEN', detail: 'the notifier service may not call this route' });
  });

  it('still serves users their own features and refuses a refresh token as a user', async () => {
    expect((await call('get', '/v1/profiles/cleo/features', await auth.sign('cleo'))).status).toBe(200);
    expect((await call('get', '/v1/profiles/cleo/features', await auth.sign('cleo', { token_use: 'refresh' }))).status).toBe(401);
  });
});
