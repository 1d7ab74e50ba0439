import { Writable } from 'node:stream';
import { createLogger, withContext } from './create-logger';

function captureLines() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with service, version, a level word and an ISO time', () => {
    const { lines, destination } = captureLines();
    const log = createLogger({ service: 'profile', version: '1.2.3', destination });
    log.info({ userId: 'u1' }, 'profile read');
    expect(lines).toEqual([
      expect.objectContaining({ service: 'profile', version: '1.2.3', level: 'info', userId: 'u1', msg: 'profile read' }),
    ]);
    expect(new Date(String(lines[0]?.['time'])).toISOString()).toBe(lines[0]?.['time']);
  });

  it('respects the level', () => {
    const { lines, destination } = captureLines();
    const log = createLogger({ service: 'profile', level: 'warn', destination });
    log.info('hidden');
    log.warn('shown');
    expect(lines.map((l) => l['msg'])).toEqual(['shown']);
  });

  it('redacts secrets and tokens at any of the first three levels', () => {
    const { lines, destination } = captureLines();
    const log = createLogger({ service: 'auth', destination });
    log.info({
      password: 'p0',
      user: { email: 'a@b.c', password: 'p1' },
      grant: { accessToken: 'at', refreshToken: 'rt', token: 't', secret: 's', apiKey: 'k' },
      oauth: { body: { access_token: 'at2', client_secret: 'cs' } },
      req: { headers: { authorization: 'Bearer eyJ', cookie: 'sid=1', 'x-api-key': 'k2', accept: 'json' } },
      res: { headers: { 'set-cookie': ['sid=2'] } },
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['p0', 'p1', '"at"', '"rt"', '"t"', '"s"', '"k"', 'at2', '"cs"', 'eyJ', 'sid=1', 'sid=2', 'k2']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      password: '[REDACTED]',
      user: { email: 'a@b.c', password: '[REDACTED]' },
      req: { headers: { authorization: '[REDACTED]', accept: 'json' } },
      res: { headers: { 'set-cookie': '[REDACTED]' } },
    });
  });

  it('applies extra service-specific paths', () => {
    const { lines, destination } = captureLines();
    createLogger({ service: 'integrations', destination, redact: ['vault.ciphertext'] }).info({ vault: { ciphertext: 'c' } });
    expect(lines[0]).toMatchObject({ vault: { ciphertext: '[REDACTED]' } });
  });
});

describe('withContext', () => {
  it('adds request and trace ids to every line and leaves unset ids out', () => {
    const { lines, destination } = captureLines();
    const log = withContext(createLogger({ service: 'gateway', destination }), { requestId: 'r1', traceId: 't1' });
    log.info('one');
    log.error('two');
    expect(lines).toEqual([
      expect.objectContaining({ requestId: 'r1', traceId: 't1', service: 'gateway', msg: 'one' }),
      expect.objectContaining({ requestId: 'r1', traceId: 't1', msg: 'two' }),
    ]);
    expect(lines[0]).not.toHaveProperty('userId');
  });
});

describe('error logging', () => {
  it('keeps the message, stack and cause of an error but redacts its secret properties', () => {
    const { lines, destination } = captureLines();
    const log = createLogger({ service: 'integrations', destination });
    const cause = new Error('socket hang up');
    const err = Object.assign(new Error('token refresh failed', { cause }), {
      code: 'INTEGRATIONS_REFRESH_FAILED',
      request: { headers: { authorization: 'Bearer abc' } },
    });
    log.error({ err }, 'sync failed');
    expect(lines[0]?.['err']).toMatchObject({
      type: 'Error',
      message: 'token refresh failed: socket hang up',
      code: 'INTEGRATIONS_REFRESH_FAILED',
      request: { headers: { authorization: '[REDACTED]' } },
    });
    expect(String((lines[0]?.['err'] as { stack?: unknown }).stack)).toContain('caused by: Error: socket hang up');
  });
});
