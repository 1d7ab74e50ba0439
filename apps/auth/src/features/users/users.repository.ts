import type { Executor } from '@oo/db';
import type { AuthDatabase } from '../../db/database';

export interface IdentityKey {
  issuer: string;
  subject: string;
}

/** The user an identity belongs to, with the user's deletion mark. */
export function findUserByIdentity(db: Executor<AuthDatabase>, key: IdentityKey) {
  return db
    .selectFrom('identities')
    .innerJoin('users', 'users.user_id', 'identities.user_id')
    .select(['users.user_id', 'users.deletion_requested_at'])
    .where('identities.issuer', '=', key.issuer)
    .where('identities.subject', '=', key.subject)
    .executeTakeFirst();
}

export async function insertUser(db: Executor<AuthDatabase>, user: { userId: string; email: string | null; displayName: string | null; createdAt: Date }): Promise<void> {
  await db.insertInto('users').values({ user_id: user.userId, email: user.email, display_name: user.displayName, created_at: user.createdAt }).execute();
}

/** Inserts the identity unless another sign-in raced us to it; true when this call inserted it. */
export async function insertIdentity(db: Executor<AuthDatabase>, key: IdentityKey, userId: string, email: string | null, at: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('identities')
    .values({ ...key, user_id: userId, email, linked_at: at, last_sign_in_at: at })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function touchIdentity(db: Executor<AuthDatabase>, key: IdentityKey, email: string | null, at: Date): Promise<void> {
  await db
    .updateTable('identities')
    .set({ email, last_sign_in_at: at })
    .where('issuer', '=', key.issuer)
    .where('subject', '=', key.subject)
    .execute();
}

export function findUser(db: Executor<AuthDatabase>, userId: string) {
  return db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function subjectsOf(db: Executor<AuthDatabase>, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('identities').select('subject').where('user_id', '=', userId).execute();
  return rows.map((r) => r.subject);
}

export async function markDeletionRequested(db: Executor<AuthDatabase>, userId: string, at: Date): Promise<void> {
  await db.updateTable('users').set({ deletion_requested_at: at }).where('user_id', '=', userId).where('deletion_requested_at', 'is', null).execute();
}
