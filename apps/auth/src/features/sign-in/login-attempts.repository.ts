import type { Executor, Insertable, Selectable } from '@oo/db';
import type { AuthDatabase, LoginAttemptsTable } from '../../db/database';

export type LoginAttempt = Selectable<LoginAttemptsTable>;

export async function insertLoginAttempt(db: Executor<AuthDatabase>, attempt: Insertable<LoginAttemptsTable>): Promise<void> {
  await db.insertInto('login_attempts').values(attempt).execute();
}

/**
 * Marks the attempt consumed if it is still open; the one statement is the one use, so two
 * callbacks with the same attempt cannot both get past it.
 */
export function claimLoginAttempt(db: Executor<AuthDatabase>, attemptHash: Buffer, now: Date): Promise<LoginAttempt | undefined> {
  return db
    .updateTable('login_attempts')
    .set({ consumed_at: now })
    .where('attempt_hash', '=', attemptHash)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes attempts that expired before `now`: the table holds only sign-ins in progress. */
export async function pruneLoginAttempts(db: Executor<AuthDatabase>, now: Date): Promise<void> {
  await db.deleteFrom('login_attempts').where('expires_at', '<', now).execute();
}
