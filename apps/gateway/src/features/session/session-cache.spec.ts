import type { Principal } from '@oo/http';
import { SessionCache, type SessionGrant } from './session-cache';

const principal: Principal = { userId: 'ada', roles: [], isAdmin: false };
const grant = (userId: string, sessionId: string, expiresAtMs: number): SessionGrant => ({
  accessToken: `at-${sessionId}`,
  expiresAtMs,
  userId,
  sessionId,
  csrfToken: 'c',
  principal: { ...principal, userId },
});

describe('SessionCache', () => {
  let now: number;
  let cache: SessionCache;
  beforeEach(() => {
    now = 1_000_000;
    cache = new SessionCache(3, () => now);
  });

  it('keeps a grant until min(expiresAt − 60 s, now + 60 s)', () => {
    cache.set('t1', grant('ada', 's1', now + 600_000), now);
    cache.set('t2', grant('ada', 's2', now + 90_000), now);
    now += 30_001;
    expect(cache.get('t2')).toBeUndefined();
    expect(cache.get('t1')?.sessionId).toBe('s1');
    now += 30_000;
    expect(cache.get('t1')).toBeUndefined();
  });

  it('never caches a grant that expires within a minute', () => {
    cache.set('t1', grant('ada', 's1', now + 59_000), now);
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used entry beyond its bound', () => {
    for (const t of ['a', 'b', 'c']) cache.set(t, grant('ada', t, now + 600_000), now);
    cache.get('a');
    cache.set('d', grant('ada', 'd', now + 600_000), now);
    expect(['a', 'b', 'c', 'd'].map((t) => cache.get(t) !== undefined)).toEqual([true, false, true, true]);
  });

  it("purges one session, or every session of a user, on revocation", () => {
    cache.set('a1', grant('ada', 'a1', now + 600_000), now);
    cache.set('a2', grant('ada', 'a2', now + 600_000), now);
    cache.set('b1', grant('bob', 'b1', now + 600_000), now);
    expect(cache.revoke({ userId: 'ada', sessionId: 'a1' })).toBe(1);
    expect(cache.get('a2')).toBeDefined();
    expect(cache.revoke({ userId: 'ada' })).toBe(1);
    expect(cache.get('a2')).toBeUndefined();
    expect(cache.get('b1')).toBeDefined();
  });

  it('does not cache an exchange that was in flight when a revocation arrived', () => {
    const startedAt = now;
    now += 5;
    cache.revoke({ userId: 'ada' });
    cache.set('a1', grant('ada', 'a1', now + 600_000), startedAt);
    expect(cache.get('a1')).toBeUndefined();
    now += 10;
    cache.set('a1', grant('ada', 'a1', now + 600_000), now);
    expect(cache.get('a1')).toBeDefined();
  });
});
