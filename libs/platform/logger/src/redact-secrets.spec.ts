import { REDACTED, isSecretKey, redactSecrets, redactString } from './redact-secrets';

describe('redactSecrets', () => {
  it('matches secret names in any spelling', () => {
    for (const key of ['password', 'accessToken', 'access_token', 'Authorization', 'x-api-key', 'Set-Cookie', 'client_secret']) {
      expect(isSecretKey(key)).toBe(true);
    }
    for (const key of ['userId', 'requestId', 'tokenCount', 'code']) expect(isSecretKey(key)).toBe(false);
  });

  it('copies only what it changes and never modifies the input', () => {
    const untouched = { a: 1 };
    const input = { untouched, nested: { list: [{ refreshToken: 'r' }, { ok: true }] } };
    const output = redactSecrets(input);
    expect(output).toEqual({ untouched, nested: { list: [{ refreshToken: REDACTED }, { ok: true }] } });
    expect(output.untouched).toBe(untouched);
    expect(input.nested.list[0]).toEqual({ refreshToken: 'r' });
    expect(redactSecrets(untouched)).toBe(untouched);
  });

  it('redacts at any depth, and turns a cycle into [Circular] so nothing unwalked is passed on', () => {
    type Node = { next?: Node; password?: string; level?: number };
    const node: Node = { password: 'p' };
    node.next = node;
    const out = redactSecrets(node);
    expect(out).toEqual({ password: REDACTED, next: '[Circular]' });
    expect(node.next).toBe(node);

    let deep: Record<string, unknown> = { apiKey: 'k-deep', note: 'see https://x/?token=t-deep' };
    for (let i = 0; i < 40; i++) deep = { level: i, child: deep };
    const text = JSON.stringify(redactSecrets(deep));
    expect(text).not.toContain('k-deep');
    expect(text).not.toContain('t-deep');
  });

  it('redacts an object shared by two properties in both (sharing is no cycle), and survives nesting far past any real log line', () => {
    const shared = { secret: 's' };
    expect(redactSecrets({ a: shared, b: [shared] })).toEqual({ a: { secret: REDACTED }, b: [{ secret: REDACTED }] });
    // Far below the call-stack limit the walk stops and drops the rest rather than pass it on.
    let tower: unknown = { password: 'p-tower' };
    for (let i = 0; i < 20_000; i++) tower = [tower];
    let bottom = redactSecrets(tower);
    while (Array.isArray(bottom)) bottom = bottom[0] as unknown;
    expect(bottom).toBe('[TOO DEEP]');
  });
});

describe('redactString', () => {
  it.each([
    ['postgres://app:hunter2@db:5432/app', 'postgres://app:[REDACTED]@db:5432/app'],
    ['connect postgres://app:p@ss@db/app failed', 'connect postgres://app:[REDACTED]@db/app failed'],
    ['https://idp/cb?access_token=abc&code=xyz&state=ok', 'https://idp/cb?access_token=[REDACTED]&code=[REDACTED]&state=ok'],
    ['GET /v1/link?token=t1', 'GET /v1/link?token=[REDACTED]'],
    ['grant_type=refresh_token&refresh_token=r1&client_secret=cs1', 'grant_type=refresh_token&refresh_token=[REDACTED]&client_secret=[REDACTED]'],
    ['https://s3/x?X-Amz-Signature=f00&X-Amz-Date=1', 'https://s3/x?X-Amz-Signature=[REDACTED]&X-Amz-Date=1'],
    ['sent Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln to profile', 'sent Authorization: Bearer [REDACTED] to profile'],
    ['header Authorization: Basic dXNlcjpwYXNz', 'header Authorization: Basic [REDACTED]'],
    ['token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln leaked', 'token [REDACTED] leaked'],
  ])('redacts %s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('leaves strings without credentials alone, including URLs with only a user name', () => {
    for (const plain of ['profile read', 'postgres://postgres@127.0.0.1:5432/test', 'https://x/y?limit=5&state=ok', 'a=b', 'status code', '']) {
      expect(redactString(plain)).toBe(plain);
    }
  });

  it('redacts strings in logged objects and URL objects, and never modifies the input', () => {
    const input = { databaseHost: 'postgres://app:pw@db/app', callback: new URL('https://app/cb?code=c1'), list: ['Bearer abc.def'] };
    expect(redactSecrets(input)).toEqual({
      databaseHost: 'postgres://app:[REDACTED]@db/app',
      callback: 'https://app/cb?code=[REDACTED]',
      list: ['Bearer [REDACTED]'],
    });
    expect(input.databaseHost).toBe('postgres://app:pw@db/app');
  });
});
