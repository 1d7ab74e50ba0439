import type { Express } from 'express';
import request from 'supertest';
import { createBaseApp, createJwtVerifier, finishApp, Readiness, requireAuth } from '@oo/http';
import { createLogger } from '@oo/logger';
import { createTestAuth, type TestAuth } from '@oo/testing';
import { requireServiceOrAdmin } from './service-caller';

describe("ml-serving's callers", () => {
  let auth: TestAuth;
  let app: Express;

  beforeAll(async () => {
    auth = await createTestAuth();
    const base = createBaseApp({ service: 'ml-serving', log: createLogger({ service: 'ml-serving', level: 'silent' }), readiness: new Readiness(), metrics: false });
    base.use('/v1', requireAuth(createJwtVerifier({ issuer: auth.issuer, jwks: JSON.parse(auth.jwks) })), requireServiceOrAdmin());
    base.post('/v1/score', (_req, res) => {
      res.json({ scored: true });
    });
    app = finishApp(base);
  });

  const score = async (token: string) => request(app).post('/v1/score').set('Authorization', `Bearer ${token}`).send({});

  it('scores for the recommender and for admins', async () => {
    expect((await score(await auth.sign('recommender', { token_use: 'service' }))).body).toEqual({ scored: true });
    expect((await score(await auth.sign('ada', { roles: ['admin'] }))).status).toBe(200);
  });

  it.each(['notifier', 'profile', 'integrations'])('refuses the %s service token with 403', async (name) => {
    const res = await score(await auth.sign(name, { token_use: 'service' }));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AUTH_FORBIDDEN', detail: `the ${name} service may not call this route` });
  });

  it("refuses a person's token with 403", async () => {
    expect((await score(await auth.sign('bea'))).status).toBe(403);
  });
});
