import { sql, type Transaction } from 'kysely';
import { eventsDb } from './events.tables';

/**
 * Removes what the events tables remember about a user: the outbox sequence counters, consumer
 * cursors, and outbox rows already published (unpublished ones still go out). Call it from the
 * service's handler for `users.deletion.requested`, in the same transaction as its own erasure.
 *
 * @example
 * await eraseUserEventState(trx, event.message.userId);
 */
export async function eraseUserEventState<DB>(trx: Transaction<DB>, userId: string): Promise<void> {
  const db = eventsDb(trx);
  await sql`delete from event_outbox_sequence where user_key = ${userId}`.execute(db);
  await sql`delete from event_inbox_cursor where user_key = ${userId}`.execute(db);
  await sql`delete from event_outbox where user_key = ${userId} and published_at is not null`.execute(db);
}
