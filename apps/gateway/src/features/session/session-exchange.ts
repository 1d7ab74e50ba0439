import type { Response } from 'express';
import type { JwtVerifier } from '@oo/http';
import type { AuthClient } from '../../upstream/auth-client';
import { SessionCache, type Revocation, type SessionGrant } from './session-cache';

/**
 * Turns a session cookie into an access grant: from the cache, else by one exchange at auth
 * shared by the concurrent requests of the same cookie (a page load sends several). The access
 * token is verified like a bearer token, so roles come from the token, never from the answer.
 *
 * @example
 * const grant = await sessions.grantFor(cookie, res);
 */
export class SessionExchange {
  private readonly inflight = new Map<string, Promise<SessionGrant>>();

  constructor(
    private readonly auth: AuthClient,
    private readonly verifier: JwtVerifier,
    readonly cache: SessionCache,
    private readonly nowMs: () => number,
  ) {}

  async grantFor(sessionToken: string, res: Response): Promise<SessionGrant> {
    const cached = this.cache.get(sessionToken);
    if (cached) return cached;
    const running = this.inflight.get(sessionToken);
    if (running) return running;
    const started = this.exchange(sessionToken, res).finally(() => this.inflight.delete(sessionToken));
    this.inflight.set(sessionToken, started);
    return started;
  }

  /** Forgets a session the gateway itself ended (sign-out), before auth's event arrives. */
  forget(sessionToken: string): void {
    this.cache.delete(sessionToken);
  }

  revoke(revocation: Revocation): number {
    return this.cache.revoke(revocation);
  }

  private async exchange(sessionToken: string, res: Response): Promise<SessionGrant> {
    const startedAt = this.nowMs();
    const answer = await this.auth.exchangeSession(sessionToken, res);
    const principal = await this.verifier.verify(answer.accessToken);
    const grant: SessionGrant = {
      accessToken: answer.accessToken,
      expiresAtMs: Date.parse(answer.expiresAt),
      userId: principal.userId,
      sessionId: answer.sessionId,
      csrfToken: answer.csrfToken,
      principal,
    };
    this.cache.set(sessionToken, grant, startedAt);
    return grant;
  }
}
