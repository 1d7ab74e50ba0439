import { keepSession, keepSessions, SessionError, type UserSession } from './user-sessions';

describe('a kept session', () => {
  let wall = 0;
  const now = () => wall;
  let issued = 0;
  const session = (userId: string, lifetimeMs: number): UserSession => {
    issued++;
    return { userId, accessToken: `at-${issued}`, refreshToken: `rt-${issued}`, expiresAt: new Date(wall + lifetimeMs) };
  };
  beforeEach(() => {
    wall = 1_000_000;
    issued = 0;
  });

  it('keeps its token until a minute before it expires, then refreshes with the refresh token', async () => {
    const refreshed: string[] = [];
    const kept = await keepSession('ada', { signIn: async () => session('u-1', 600_000), refresh: async (rt) => (refreshed.push(rt), session('u-1', 600_000)), now });
    expect(kept).toMatchObject({ name: 'ada', userId: 'u-1' });
    wall += 539_000;
    expect(await kept.accessToken()).toBe('at-1');
    wall += 1_000;
    expect(await kept.accessToken()).toBe('at-2');
    expect(refreshed).toEqual(['rt-1']);
    wall += 539_000;
    expect(await kept.accessToken()).toBe('at-2');
  });

  it('lets concurrent callers share one renewal', async () => {
    let refreshes = 0;
    const kept = await keepSession('ada', { signIn: async () => session('u-1', 600_000), refresh: async () => (refreshes++, session('u-1', 600_000)), now });
    wall += 590_000;
    expect(await Promise.all([kept.accessToken(), kept.accessToken(), kept.accessToken()])).toEqual(['at-2', 'at-2', 'at-2']);
    expect(refreshes).toBe(1);
  });

  it('renews a short-lived token halfway through its life, not on every call', async () => {
    const kept = await keepSession('ada', { signIn: async () => session('u-1', 30_000), now });
    wall += 14_000;
    expect(await kept.accessToken()).toBe('at-1');
    wall += 1_000;
    expect(await kept.accessToken()).toBe('at-2');
    expect(await kept.accessToken()).toBe('at-2');
  });

  it('names the user when signing in or renewing fails, and refuses a renewal that is someone else', async () => {
    const down = keepSession('ada', { signIn: async () => Promise.reject(new Error('idp down')), now });
    await expect(down).rejects.toThrow(SessionError);
    await expect(down).rejects.toThrow('signing in ada failed: idp down');
    const failing = await keepSession('ada', { signIn: async () => session('u-1', 600_000), refresh: async () => Promise.reject(new Error('invalid_grant')), now });
    wall += 600_000;
    await expect(failing.accessToken()).rejects.toThrow('renewing the session of ada failed: invalid_grant');
    const other = await keepSession('bob', { signIn: async () => session('u-2', 600_000), refresh: async () => session('u-3', 600_000), now });
    wall += 600_000;
    await expect(other.accessToken()).rejects.toThrow('renewing the session of bob gave user u-3, not u-2');
  });

  it('signs many names in, in order, and refuses two names that are the same user', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `n${i}`);
    const kept = await keepSessions(names, { signIn: async (name) => session(`id-${name}`, 600_000), now });
    expect(kept.map((k) => [k.name, k.userId])).toEqual(names.map((n) => [n, `id-${n}`]));
    await expect(keepSessions(['a', 'b'], { signIn: async () => session('same', 600_000), now })).rejects.toThrow('a and b signed in as the same user same');
  });
});
