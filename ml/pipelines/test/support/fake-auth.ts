import { createHash } from 'node:crypto';
import { SignJWT, type CryptoKey, type KeyObject } from 'jose';
import type { UserSession } from '../../src/simulate/user-sessions';

export interface FakeAuthOptions {
  readonly privateKey: CryptoKey | KeyObject;
  readonly issuer: string;
  /** The wall clock tokens are issued on (default Date.now). */
  readonly now?: () => number;
  /** Access-token lifetime (default 10 minutes, as auth's). */
  readonly lifetimeMs?: number;
}

/**
 * Stands in for signInDevUser and the gateway's refresh: the same name is always the same user (a
 * uuid that has nothing in common with the name, as auth's), ES256 access tokens with that `sub`,
 * and refresh tokens that are spent on use.
 */
export function createFakeAuth(options: FakeAuthOptions) {
  const now = options.now ?? Date.now;
  const lifetimeMs = options.lifetimeMs ?? 600_000;
  const unspent = new Map<string, string>();
  const signIns: string[] = [];
  const refreshes: string[] = [];
  let issued = 0;
  const userIdOf = (name: string): string => {
    const h = createHash('sha256').update(`${options.issuer}:${name}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };

  const issue = async (userId: string): Promise<UserSession> => {
    const at = now();
    const expiresAt = at + lifetimeMs;
    const accessToken = await new SignJWT({ token_use: 'access', roles: [] })
      .setProtectedHeader({ alg: 'ES256', kid: 'fake-auth' })
      .setSubject(userId)
      .setIssuer(options.issuer)
      .setAudience('oo')
      .setIssuedAt(Math.floor(at / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(options.privateKey);
    const refreshToken = `rt-${++issued}`;
    unspent.set(refreshToken, userId);
    return { userId, accessToken, refreshToken, expiresAt: new Date(expiresAt) };
  };

  return {
    signIns,
    refreshes,
    /** Auth's id for a name. */
    userIdOf,
    signIn: async (name: string): Promise<UserSession> => {
      signIns.push(name);
      return issue(userIdOf(name));
    },
    refresh: async (refreshToken: string): Promise<UserSession> => {
      refreshes.push(refreshToken);
      const userId = unspent.get(refreshToken);
      if (userId === undefined) throw new Error('invalid_grant: the refresh token is spent or unknown');
      unspent.delete(refreshToken);
      return issue(userId);
    },
  };
}

export type FakeAuth = ReturnType<typeof createFakeAuth>;
