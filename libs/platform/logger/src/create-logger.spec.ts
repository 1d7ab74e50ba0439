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

  it('redacts credentials inside strings: URLs, query and form parameters, bearer tokens, in fields and in the message', () => {
    const { lines, destination } = captureLines();
    const log = createLogger({ service: 'integrations', destination });
    log.warn(
      {
        target: 'postgres://app:pw-db@db:5432/app',
        callback: 'https://oo.app/oauth/cb?code=c-oauth&state=s1',
        upstream: { request: { url: 'https://idp/token?access_token=at-url', body: 'grant_type=refresh_token&refresh_token=rt-form&client_secret=cs-form' } },
        sent: ['Authorization: Bearer b-header'],
      },
      'calling https://idp/authorize?token=t-msg failed',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['pw-db', 'c-oauth', 'at-url', 'rt-form', 'cs-form', 'b-header', 't-msg']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      target: 'postgres://app:[REDACTED]@db:5432/app',
      callback: 'https://oo.app/oauth/cb?code=[REDACTED]&state=s1',
      msg: 'calling https://idp/authorize?token=[REDACTED] failed',
    });
  });

  it('redacts secrets nested deeper than six levels, and logs a cyclic object', () => {
    const { lines, destination } = captureLines();
    const log = createLogger({ service: 'integrations', destination });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    log.info({ a: { b: { c: { d: { e: { f: { g: { h: { password: 'p-deep', note: 'token=t-deep' } } } } } } } }, cyclic });
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('p-deep');
    expect(text).not.toContain('t-deep');
    expect(lines[0]).toMatchObject({ cyclic: { name: 'loop', self: '[Circular]' } });
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

  it("redacts credentials in an error's message and stack", () => {
    const { lines, destination } = captureLines();
    createLogger({ service: 'integrations', destination }).error({ err: new Error('GET https://idp/me?access_token=at-err failed') }, 'sync failed');
    const err = lines[0]?.['err'] as { message: string; stack: string };
    expect(err.message).toBe('GET https://idp/me?access_token=[REDACTED] failed');
    expect(err.stack).not.toContain('at-err');
  });
});
