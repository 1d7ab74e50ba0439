import { createHash } from 'node:crypto';
import type { Principal } from '@oo/http';

/** A session cookie exchanged at auth: the access token forwarded upstream and what the web app needs. */
export interface SessionGrant {
  readonly accessToken: string;
  readonly expiresAtMs: number;
  readonly userId: string;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly principal: Principal;
}

interface Entry {
  grant: SessionGrant;
  validUntilMs: number;
}

/** A `users.revoked` event: every session of the user, or just one. */
export interface Revocation {
  userId: string;
  sessionId?: string | undefined;
}

const MAX_CACHE_MS = 60_000;
const EXPIRY_MARGIN_MS = 60_000;
// A revocation is remembered this long, so an exchange already in flight when it arrived is not cached.
const REVOCATION_MEMORY_MS = 2 * MAX_CACHE_MS;

const keyOf = (sessionToken: string) => createHash('sha256').update(sessionToken).digest('base64url');

/**
 * Exchanged session cookies, bounded (least recently used first out) and short-lived: an entry
 * lasts until min(expiresAt − 60 s, now + 60 s), and a revocation purges the user's (or the
 * session's) entries at once. Keys are SHA-256 of the cookie, so the heap holds no session secret.
 *
 * @example
 * const cache = new SessionCache(10_000, () => Date.now());
 * cache.set(token, grant, startedAt); cache.get(token);
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly nowMs: () => number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(sessionToken: string): SessionGrant | undefined {
    const key = keyOf(sessionToken);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.validUntilMs <= this.nowMs()) return undefined;
    this.entries.set(key, entry);
    return entry.grant;
  }

  /** Remembers a grant obtained by an exchange that started at `startedAtMs`, unless a revocation came since. */
  set(sessionToken: string, grant: SessionGrant, startedAtMs: number): void {
    if (this.maxEntries === 0 || this.revokedSince(grant, startedAtMs)) return;
    const now = this.nowMs();
    const validUntilMs = Math.min(grant.expiresAtMs - EXPIRY_MARGIN_MS, now + MAX_CACHE_MS);
    if (validUntilMs <= now) return;
    const key = keyOf(sessionToken);
    this.entries.delete(key);
    this.entries.set(key, { grant, validUntilMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(sessionToken: string): void {
    this.entries.delete(keyOf(sessionToken));
  }

  /** Drops the entries a revocation ends; revocations are rare, so a scan is cheaper than an index kept on every request. */
  revoke(revocation: Revocation): number {
    const now = this.nowMs();
    this.revoked.set(revocation.sessionId ? `s:${revocation.sessionId}` : `u:${revocation.userId}`, now);
    for (const [key, at] of this.revoked) if (at + REVOCATION_MEMORY_MS < now) this.revoked.delete(key);
    let dropped = 0;
    for (const [key, { grant }] of this.entries) {
      if (grant.userId === revocation.userId && (!revocation.sessionId || grant.sessionId === revocation.sessionId)) {
        this.entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  private revokedSince(grant: SessionGrant, startedAtMs: number): boolean {
    const byUser = this.revoked.get(`u:${grant.userId}`);
    const bySession = this.revoked.get(`s:${grant.sessionId}`);
    return (byUser !== undefined && byUser >= startedAtMs) || (bySession !== undefined && bySession >= startedAtMs);
  }
}
