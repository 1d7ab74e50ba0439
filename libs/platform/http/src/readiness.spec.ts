import { Readiness } from './readiness';

describe('Readiness', () => {
  it('separates failed critical checks from degraded non-critical ones', async () => {
    const report = await new Readiness({ timeoutMs: 10 })
      .add('database', () => Promise.reject(new Error('connection refused')))
      .add('nats', () => new Promise(() => undefined), { critical: false })
      .add('cache', () => true, { critical: false })
      .check();
    expect(report).toEqual({
      ready: false,
      shuttingDown: false,
      checks: { database: 'failed', nats: 'timeout', cache: 'ok' },
      failed: ['database'],
      degraded: ['nats'],
      errors: { database: 'connection refused', nats: 'no answer within 10 ms' },
    });
  });

  it('stays ready while only non-critical checks fail', async () => {
    const report = await new Readiness().add('nats', () => false, { critical: false }).check();
    expect(report).toMatchObject({ ready: true, failed: [], degraded: ['nats'] });
  });

  it('treats a check added without options as critical', async () => {
    const report = await new Readiness().add('database', () => false).check();
    expect(report).toMatchObject({ ready: false, failed: ['database'], degraded: [] });
  });

  it('keeps a re-added check under its new criticality', async () => {
    const readiness = new Readiness().add('nats', () => false).add('nats', () => false, { critical: false });
    expect(await readiness.check()).toMatchObject({ ready: true, degraded: ['nats'] });
  });
});
