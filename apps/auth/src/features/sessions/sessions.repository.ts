import type { Executor, Insertable, Selectable } from '@oo/db';
import type { AuthDatabase, SessionsTable } from '../../db/database';

export type SessionRow = Selectable<SessionsTable>;

export async function insertSession(db: Executor<AuthDatabase>, session: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/** The session, locked for this transaction (its idle clock moves on every use). */
export function lockSessionByToken(db: Executor<AuthDatabase>, tokenHash: Buffer): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

export async function touchSession(db: Executor<AuthDatabase>, sessionId: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('session_id', '=', sessionId).execute();
}

/** Revokes the session if it is live; the revoked row, or undefined when it was not. */
export function revokeSessionByToken(db: Executor<AuthDatabase>, tokenHash: Buffer, at: Date, reason: string) {
  return db
    .updateTable('sessions')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .returning(['session_id', 'user_id'])
    .executeTakeFirst();
}

export async function revokeSessionsOfUser(db: Executor<AuthDatabase>, userId: string, at: Date, reason: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: at, revoked_reason: reason }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

/**
 * Deletes up to `limit` ended sessions — signed out, unused for longer than the idle timeout, or
 * past their absolute expiry — so the table holds only sessions that can still be used. Run on
 * every new session: the table cannot outgrow the sessions people really have.
 */
export async function pruneEndedSessions(db: Executor<AuthDatabase>, now: Date, idleTimeoutMs: number, limit = 100): Promise<void> {
  const idleSince = new Date(now.getTime() - idleTimeoutMs);
  await db
    .deleteFrom('sessions')
    .where('session_id', 'in', (eb) =>
      eb
        .selectFrom('sessions')
        .select('session_id')
        .where((w) => w.or([w('revoked_at', 'is not', null), w('absolute_expires_at', '<=', now), w('last_seen_at', '<', idleSince)]))
        .limit(limit),
    )
    .execute();
}
