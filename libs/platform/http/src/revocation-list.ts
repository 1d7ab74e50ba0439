/** What `users.revoked` says: the user's tokens issued before `revokedBefore` (of one session, or all) are no longer good. */
export interface Revocation {
  readonly userId: string;
  readonly revokedBefore: Date;
  /** Only tokens whose `sid` claim is this web session; absent means every token of the user. */
  readonly sessionId?: string | undefined;
}

interface Entry {
  readonly beforeMs: number;
  readonly sessionId?: string | undefined;
  /** After this no token the entry could match is still unexpired. */
  readonly forgetAtMs: number;
}

const PRUNE_EVERY_MS = 10_000;

/**
 * The revocations a verifier applies, bounded in memory: an entry only matters while a token
 * issued before `revokedBefore` can still be unexpired, so it is forgotten `retentionMs` (the
 * longest token lifetime plus the clock skew) after `revokedBefore`.
 *
 * @example
 * const list = new RevocationList(3_600_000 + 5_000);
 * list.add({ userId: 'ana', revokedBefore: new Date() }, Date.now());
 * list.isRevoked('ana', iatSec, sid, Date.now()); // true for tokens issued before
 */
export class RevocationList {
  private readonly byUser = new Map<string, Entry[]>();
  private lastPruneMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly retentionMs: number) {}

  add(revocation: Revocation, nowMs: number): void {
    this.prune(nowMs);
    const beforeMs = revocation.revokedBefore.getTime();
    const forgetAtMs = beforeMs + this.retentionMs;
    if (!Number.isFinite(beforeMs) || forgetAtMs <= nowMs) return;
    const entries = this.byUser.get(revocation.userId) ?? [];
    entries.push({ beforeMs, forgetAtMs, ...(revocation.sessionId ? { sessionId: revocation.sessionId } : {}) });
    this.byUser.set(revocation.userId, entries);
  }

  /**
   * True when a token of `userId` issued at `iatSec` (seconds, as in the claim) falls under a
   * revocation: issued before its `revokedBefore` and, for a session's revocation, of that session.
   * `iat` has whole seconds: a token from the revocation's own second counts as issued at its start.
   */
  isRevoked(userId: string, iatSec: number, sessionId: string | undefined, nowMs: number): boolean {
    const entries = this.byUser.get(userId);
    if (!entries) return false;
    const iatMs = iatSec * 1000;
    return entries.some((e) => e.forgetAtMs > nowMs && iatMs < e.beforeMs && (e.sessionId === undefined || e.sessionId === sessionId));
  }

  /** How many entries are held (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const entries of this.byUser.values()) n += entries.length;
    return n;
  }

  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < PRUNE_EVERY_MS) return;
    this.lastPruneMs = nowMs;
    for (const [userId, entries] of this.byUser) {
      const kept = entries.filter((e) => e.forgetAtMs > nowMs);
      if (kept.length === 0) this.byUser.delete(userId);
      else if (kept.length < entries.length) this.byUser.set(userId, kept);
    }
  }
}
