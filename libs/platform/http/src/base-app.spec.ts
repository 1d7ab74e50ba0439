import type { Express } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { captureLog } from '../test/capture-log';
import { createBaseApp, finishApp } from './base-app';
import { conflict } from './http-problem';
import { Readiness } from './readiness';
import { requestContext, requestLog } from './request-context.middleware';
import { logQuietly } from './request-logger.middleware';
import { validate, validateBody } from './validate';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

class QuotaExceededError extends Error {
  readonly status = 429;
  readonly code = 'PROFILE_QUOTA_EXCEEDED';
}

function buildApp(): { app: Express; lines: Record<string, unknown>[] } {
  const { log, lines } = captureLog();
  const app = createBaseApp({ service: 'test', log, readiness: new Readiness(), metrics: false });
  app.get('/context', (_req, res) => {
    requestLog(res).info('handling');
    const { requestId, traceId, traceparent } = requestContext(res);
    res.json({ requestId, traceId, traceparent });
  });
  app.post('/items', validateBody(z.object({ name: z.string().min(1), count: z.number().int() })), (req, res) => {
    res.status(201).json(req.body);
  });
  app.get('/search', (req, res) => {
    res.json(validate(z.object({ limit: z.coerce.number().max(50) }), req.query, 'query'));
  });
  app.get('/conflict', () => {
    throw conflict('already there', { extra: { existingId: 'x1' } });
  });
  app.get('/quota', () => {
    throw new QuotaExceededError('too many profiles');
  });
  app.get('/users/:userId', (req, res) => {
    res.json(validate(z.object({ userId: z.string().max(8) }), req.params, 'params'));
  });
  app.get('/pool', async () => {
    throw new Error('timeout exceeded when trying to connect');
  });
  app.get('/boom', async () => {
    throw new Error('db password is hunter2', { cause: new Error('connection reset') });
  });
  finishApp(app);
  return { app, lines };
}

describe('createBaseApp', () => {
  it('generates a request id, echoes it and logs with it', async () => {
    const { app, lines } = buildApp();
    const res = await request(app).get('/context').expect(200);
    const requestId = res.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(requestId);
    expect(lines.find((l) => l['msg'] === 'handling')).toMatchObject({ requestId, traceId: res.body.traceId });
    expect(lines.find((l) => l['msg'] === 'request completed')).toMatchObject({
      requestId,
      method: 'GET',
      route: '/context',
      status: 200,
    });
  });

  it('logs a request its route marked as routine at debug, the others at info', async () => {
    const { log, lines } = captureLog();
    const app = createBaseApp({ service: 'test', log, readiness: new Readiness(), metrics: false });
    app.get('/poll', (_req, res) => {
      logQuietly(res);
      res.json({});
    });
    app.get('/plain', (_req, res) => res.json({}));
    finishApp(app);
    await request(app).get('/poll').expect(200);
    await request(app).get('/plain').expect(200);
    const completed = lines.filter((l) => l['msg'] === 'request completed').map((l) => [l['path'], l['level']]);
    expect(completed).toEqual([
      ['/poll', 'debug'],
      ['/plain', 'info'],
    ]);
  });

  it("keeps the caller's request id, but not an unsafe one", async () => {
    const { app } = buildApp();
    const kept = await request(app).get('/context').set('x-request-id', 'abc-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(app).get('/context').set('x-request-id', 'a b\tc<script>').expect(200);
    expect(replaced.headers['x-request-id']).not.toBe('a b\tc<script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('continues the caller trace and propagates traceparent on the response', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/context').set('traceparent', `00-${TRACE}-00f067aa0ba902b7-01`).expect(200);
    expect(res.body.traceId).toBe(TRACE);
    expect(res.headers['traceparent']).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    expect(res.headers['traceparent']).not.toContain('00f067aa0ba902b7');
    expect(res.body.traceparent).toBe(res.headers['traceparent']);
  });

  it('starts a new trace when traceparent is missing or invalid', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/context').set('traceparent', 'nonsense').expect(200);
    expect(res.body.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers['traceparent']).toMatch(new RegExp(`^00-${res.body.traceId}-[0-9a-f]{16}-01$`));
  });

  it('does not advertise Express', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/context');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('accepts a valid body', async () => {
    const { app } = buildApp();
    await request(app).post('/items').send({ name: 'a', count: 2 }).expect(201, { name: 'a', count: 2 });
  });

  it('answers an invalid body with 400 listing every failing field', async () => {
    const { app } = buildApp();
    const res = await request(app).post('/items').send({ name: '', count: 1.5 }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/items' });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.count', 'body.name']);
    expect(res.body.errors[0].message).toEqual(expect.any(String));
  });

  it('validates query strings in handlers the same way', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/search?limit=99').expect(400);
    expect(res.body.errors).toEqual([{ path: 'query.limit', message: expect.any(String) }]);
    await request(app).get('/search?limit=5').expect(200, { limit: 5 });
  });

  it('answers malformed JSON with 400', async () => {
    const { app } = buildApp();
    const res = await request(app).post('/items').set('Content-Type', 'application/json').send('{"name":').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON', detail: 'The request body is not valid JSON.' });
  });

  it('answers a body over 100 kB with 413', async () => {
    const { app } = buildApp();
    const res = await request(app)
      .post('/items')
      .send({ name: 'x'.repeat(110 * 1024), count: 1 })
      .expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a path parameter with a broken percent-encoding with 400, not 500', async () => {
    const { app } = buildApp();
    for (const bad of ['%E0%A4%A', '%zz', '%', '%C0%AF']) {
      const res = await request(app).get(`/users/${bad}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'MALFORMED_PATH', detail: 'The request path has a malformed percent-encoding.' });
    }
    await request(app).get('/users/a%20b').expect(200, { userId: 'a b' });
  });

  it('answers a database pool that has no free connection in time with 503 and Retry-After', async () => {
    const { app, lines } = buildApp();
    const res = await request(app).get('/pool').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ status: 503, code: 'DATABASE_BUSY' });
    expect(lines.find((l) => l['msg'] === 'request error')).toMatchObject({ status: 503 });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/nope?token=secret').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No route for GET /nope',
      instance: '/nope',
      code: 'ROUTE_NOT_FOUND',
      requestId: res.headers['x-request-id'],
    });
  });

  it('maps an HttpProblem with its extension members', async () => {
    const { app } = buildApp();
    const res = await request(app).get('/conflict').expect(409);
    expect(res.body).toMatchObject({ status: 409, code: 'CONFLICT', detail: 'already there', existingId: 'x1' });
  });

  it("maps a named error with status and code to that status, with the error's message", async () => {
    const { app } = buildApp();
    const res = await request(app).get('/quota').expect(429);
    expect(res.body).toMatchObject({ status: 429, code: 'PROFILE_QUOTA_EXCEEDED', detail: 'too many profiles' });
  });

  it('answers an unknown error with a bare 500 and logs it with its cause', async () => {
    const { app, lines } = buildApp();
    const res = await request(app).get('/boom').expect(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      instance: '/boom',
      code: 'INTERNAL_ERROR',
      requestId: res.headers['x-request-id'],
    });
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('at ');
    const logged = lines.find((l) => l['msg'] === 'request error');
    expect(logged).toMatchObject({ level: 'error', requestId: res.headers['x-request-id'], status: 500 });
    expect(String((logged?.['err'] as { stack?: unknown }).stack)).toContain('caused by: Error: connection reset');
  });
});
