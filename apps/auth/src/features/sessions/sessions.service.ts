import { randomBytes, randomUUID } from 'node:crypto';
import { inTransaction, type Transaction } from '@oo/db';
import type { AuthDatabase } from '../../db/database';
import { AuthError } from '../../errors';
import { enqueueRevoked } from '../../events/publishers';
import type { AuthContext } from '../../service';
import { hashSecret, newOpaqueSecret } from '../sign-in/opaque-secret';
import { rolesOf } from '../users/users.service';
import { insertSession, lockSessionByToken, pruneEndedSessions, revokeSessionByToken, touchSession, type SessionRow } from './sessions.repository';

/** A new web session as the gateway receives it (it keeps `sessionToken` in a cookie). */
export interface NewSession {
  sessionToken: string;
  sessionId: string;
  csrfToken: string;
  absoluteExpiresAt: string;
  idleTimeoutSec: number;
}

export interface SessionAccessToken {
  accessToken: string;
  expiresAt: string;
  userId: string;
  sessionId: string;
  csrfToken: string;
}

type SessionDeps = Pick<AuthContext, 'db' | 'config' | 'clock' | 'enqueue' | 'tokens'>;

/**
 * Opens a new web session for a user who just signed in (never an existing one: a fresh id
 * and token after every sign-in, so nothing planted before it survives).
 *
 * @example
 * const session = await createSession(trx, ctx, userId);
 */
export async function createSession(trx: Transaction<AuthDatabase>, deps: Pick<AuthContext, 'config' | 'clock'>, userId: string): Promise<NewSession> {
  const now = deps.clock();
  const token = newOpaqueSecret();
  const sessionId = randomUUID();
  const csrfToken = randomBytes(32).toString('base64url');
  const absoluteExpiresAt = new Date(now.getTime() + deps.config.SESSION_ABSOLUTE_TIMEOUT_MS);
  await pruneEndedSessions(trx, now, deps.config.SESSION_IDLE_TIMEOUT_MS);
  await insertSession(trx, {
    session_id: sessionId,
    token_hash: token.hash,
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now,
    last_seen_at: now,
    absolute_expires_at: absoluteExpiresAt,
  });
  return { sessionToken: token.value, sessionId, csrfToken, absoluteExpiresAt: absoluteExpiresAt.toISOString(), idleTimeoutSec: Math.floor(deps.config.SESSION_IDLE_TIMEOUT_MS / 1000) };
}

function isLive(session: SessionRow, now: Date, idleTimeoutMs: number): boolean {
  return session.revoked_at === null && session.absolute_expires_at > now && session.last_seen_at.getTime() + idleTimeoutMs > now.getTime();
}

/**
 * An access token for a live web session (its `sid` is the session id); the use restarts the
 * idle clock. AUTH_SESSION_NOT_FOUND when the session is unknown, revoked, idle too long or
 * past its absolute expiry.
 *
 * @example
 * const { accessToken, csrfToken } = await accessTokenForSession(ctx, sessionToken);
 */
export async function accessTokenForSession(deps: SessionDeps, sessionToken: string): Promise<SessionAccessToken> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const session = await lockSessionByToken(trx, hashSecret(sessionToken));
    if (!session || !isLive(session, now, deps.config.SESSION_IDLE_TIMEOUT_MS)) throw new AuthError('AUTH_SESSION_NOT_FOUND', 'the session has ended; sign in again');
    await touchSession(trx, session.session_id, now);
    const roles = await rolesOf(trx, deps.config.ADMIN_SUBJECTS, session.user_id);
    const minted = await deps.tokens.mintAccessToken({ userId: session.user_id, roles, sessionId: session.session_id, authTime: session.created_at });
    return { accessToken: minted.token, expiresAt: new Date(minted.expiresAt).toISOString(), userId: session.user_id, sessionId: session.session_id, csrfToken: session.csrf_token };
  });
}

/**
 * Signs a web session out: it is revoked and `users.revoked` names it, so its access tokens stop
 * working everywhere. Unknown or already ended sessions are a no-op (signing out twice is fine).
 *
 * @example
 * await revokeSession(ctx, sessionToken);
 */
export async function revokeSession(deps: Pick<AuthContext, 'db' | 'clock' | 'enqueue'>, sessionToken: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const revoked = await revokeSessionByToken(trx, hashSecret(sessionToken), deps.clock(), 'sign_out');
    if (revoked) await enqueueRevoked(trx, deps, { userId: revoked.user_id, sessionId: revoked.session_id, reason: 'sign_out' });
  });
}
