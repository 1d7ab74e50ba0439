import request from 'supertest';
import { requireAdmin, requireAuth, requireSelfOrAdmin, requireServiceOrAdmin, principal } from '../src/auth.middleware';
import { createBaseApp, finishApp } from '../src/base-app';
import type { JwtVerifier } from '../src/jwt-verifier';
import { Readiness } from '../src/readiness';
import { captureLog } from './capture-log';

/** A base app with routes behind requireAuth, requireSelfOrAdmin, requireServiceOrAdmin and requireAdmin. */
export function appWith(verifier: JwtVerifier) {
  const { log } = captureLog();
  const app = createBaseApp({ service: 'test', log, readiness: new Readiness(), metrics: false });
  app.get('/me', requireAuth(verifier), (_req, res) => {
    res.json(principal(res));
  });
  app.get('/users/:userId', requireAuth(verifier), requireSelfOrAdmin('userId'), (req, res) => {
    res.json({ userId: req.params['userId'] });
  });
  app.get('/features/:userId', requireAuth(verifier), requireSelfOrAdmin('userId', { services: ['recommender'] }), (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/score', requireAuth(verifier), requireServiceOrAdmin(['recommender']), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/admin', requireAuth(verifier), requireAdmin(), (_req, res) => {
    res.json({ ok: true });
  });
  return finishApp(app);
}

/** Asserts the 401 problem every token failure gets, and returns the response. */
export async function expectInvalidToken(app: ReturnType<typeof appWith>, authorization: string | undefined) {
  const req = request(app).get('/me');
  if (authorization !== undefined) req.set('Authorization', authorization);
  const res = await req.expect(401);
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 401, code: 'AUTH_INVALID_TOKEN', instance: '/me' });
  return res;
}
