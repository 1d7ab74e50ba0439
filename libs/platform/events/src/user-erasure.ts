import { sql, type Transaction } from 'kysely';
import { markUserErased } from './erased-users';
import { eventsDb } from './events.tables';

/**
 * Removes what the events tables remember about a user — the outbox sequence counters, consumer
 * cursors, and every outbox row about them, published or not — and records the erasure, so late
 * events for the user are no-ops. Call it from the service's handler for
 * `users.deletion.requested`, in the same transaction as its own erasure and before enqueueing
 * the receipt (which is then the only row about the user that goes out).
 *
 * @example
 * await eraseUserEventState(trx, event.message.userId);
 */
export async function eraseUserEventState<DB>(trx: Transaction<DB>, userId: string): Promise<void> {
  const db = eventsDb(trx);
  await sql`delete from event_outbox_sequence where user_key = ${userId}`.execute(db);
  await sql`delete from event_inbox_cursor where user_key = ${userId}`.execute(db);
  await sql`delete from event_outbox where user_key = ${userId}`.execute(db);
  await sql`delete from event_outbox_dead where user_key = ${userId}`.execute(db);
  await markUserErased(db, userId);
}
