import { REDACTED, isSecretKey, redactSecrets } from './redact-secrets';

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

  it('stops at a depth limit, so cyclic objects are safe', () => {
    type Node = { next?: Node; password?: string };
    const node: Node = { password: 'p' };
    node.next = node;
    expect(redactSecrets(node).password).toBe(REDACTED);
  });
});
