import type { Kysely, Transaction } from 'kysely';

/** Anything a repository function can run queries on: the pool or an open transaction. */
export type Executor<DB> = Kysely<DB> | Transaction<DB>;

/**
 * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
 *
 * @example
 * await inTransaction(db, async (trx) => {
 *   await savePreferences(trx, userId, prefs);
 *   await enqueueEvent(trx, codec, 'profile.preferences.updated', event, { userId });
 * });
 */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
