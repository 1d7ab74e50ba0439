import request from 'supertest';
import { captureLog } from '../test/capture-log';
import { createBaseApp, finishApp } from './base-app';
import { Readiness } from './readiness';

function appWith(readiness: Readiness) {
  const { log, lines } = captureLog();
  return { app: finishApp(createBaseApp({ service: 'test', log, readiness, metrics: false })), lines };
}

describe('health endpoints', () => {
  it('answers /healthz without running any check', async () => {
    const check = jest.fn(() => {
      throw new Error('database down');
    });
    const { app } = appWith(new Readiness().add('database', check));
    await request(app).get('/healthz').expect(200, { status: 'ok' });
    expect(check).not.toHaveBeenCalled();
  });

  it('is ready when every check passes', async () => {
    const readiness = new Readiness().add('database', async () => true).add('nats', () => undefined);
    const { app } = appWith(readiness);
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', nats: 'ok' } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is not ready, naming the failed checks, when a check throws or returns false', async () => {
    const readiness = new Readiness()
      .add('database', async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
      })
      .add('nats', () => false)
      .add('consumers', async () => true);
    const { app, lines } = appWith(readiness);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toEqual({
      status: 'not_ready',
      checks: { database: 'failed', nats: 'failed', consumers: 'ok' },
      failed: ['database', 'nats'],
    });
    expect(res.text).not.toContain('10.0.0.7');
    expect(lines.find((l) => l['msg'] === 'not ready')).toMatchObject({
      level: 'warn',
      errors: { database: 'connect ECONNREFUSED 10.0.0.7:5432', nats: 'check returned false' },
    });
  });

  it('stays ready but reports degraded when only non-critical checks fail', async () => {
    const readiness = new Readiness()
      .add('database', async () => true)
      .add('nats', () => false, { critical: false })
      .add('consumers', () => {
        throw new Error('consumer profile__tip_feedback: disconnected');
      }, { critical: false });
    const { app, lines } = appWith(readiness);
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({
      status: 'degraded',
      checks: { database: 'ok', nats: 'failed', consumers: 'failed' },
      degraded: ['nats', 'consumers'],
    });
    expect(res.text).not.toContain('profile__tip_feedback');
    expect(lines.find((l) => l['msg'] === 'degraded')).toMatchObject({
      level: 'warn',
      errors: { nats: 'check returned false', consumers: 'consumer profile__tip_feedback: disconnected' },
    });
  });

  it('is not ready when a critical check fails, also naming the degraded ones', async () => {
    const readiness = new Readiness()
      .add('database', () => false)
      .add('nats', () => false, { critical: false })
      .add('consumers', () => true, { critical: false });
    const { app } = appWith(readiness);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toEqual({
      status: 'not_ready',
      checks: { database: 'failed', nats: 'failed', consumers: 'ok' },
      failed: ['database'],
      degraded: ['nats'],
    });
  });

  it('is ready, not degraded, when the non-critical checks pass too', async () => {
    const readiness = new Readiness().add('database', () => true).add('nats', () => true, { critical: false });
    const { app } = appWith(readiness);
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', nats: 'ok' } });
  });

  it('counts a check that does not answer in time as failed', async () => {
    const readiness = new Readiness({ timeoutMs: 10 }).add('consumers', () => new Promise(() => undefined));
    const { app } = appWith(readiness);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toMatchObject({ checks: { consumers: 'timeout' }, failed: ['consumers'] });
  });

  it('is not ready at once after markShuttingDown, without running checks', async () => {
    const check = jest.fn(async () => true);
    const readiness = new Readiness().add('database', check);
    const { app } = appWith(readiness);
    await request(app).get('/readyz').expect(200);
    readiness.markShuttingDown();
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toEqual({ status: 'shutting_down', checks: {}, failed: [] });
    expect(check).toHaveBeenCalledTimes(1);
    expect(readiness.shuttingDown).toBe(true);
  });
});
