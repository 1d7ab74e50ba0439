import { sql, type Executor } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import type { Provider } from '../connectors/connector';
import type { ConnectionRow } from './connections.table';

type Db = Executor<IntegrationsDatabase>;

/** The user's connection with this id, if they have one. */
export function findConnection(db: Db, userId: string, connectionId: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom('connections').selectAll().where('connection_id', '=', connectionId).where('user_id', '=', userId).executeTakeFirst();
}

/** Every connection of the user that is not disconnected, oldest first. */
export function listConnections(db: Db, userId: string): Promise<ConnectionRow[]> {
  return db.selectFrom('connections').selectAll().where('user_id', '=', userId).where('status', '!=', 'disconnected').orderBy('created_at').orderBy('connection_id').execute();
}

/** How many live connections the user has of one provider. */
export async function countConnections(db: Db, userId: string, provider: Provider): Promise<number> {
  const row = await db
    .selectFrom('connections')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('provider', '=', provider)
    .where('status', '!=', 'disconnected')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Creates the connection, or brings a disconnected or re-authorised one back: active, due for a
 * sync now, its cursor reset when it had been disconnected (its tasks were deleted then).
 */
export function activateConnection(
  db: Db,
  values: { connectionId: string; userId: string; provider: Provider; accountKey: string; settings: Record<string, string>; now: Date },
): Promise<ConnectionRow> {
  return db
    .insertInto('connections')
    .values({
      connection_id: values.connectionId,
      user_id: values.userId,
      provider: values.provider,
      account_key: values.accountKey,
      settings: values.settings,
      status: 'active',
      next_sync_at: values.now,
      updated_at: values.now,
    })
    .onConflict((oc) =>
      oc.columns(['user_id', 'provider', 'account_key']).doUpdateSet({
        status: 'active',
        settings: (eb) => eb.ref('excluded.settings'),
        next_sync_at: values.now,
        last_error: null,
        failures: 0,
        updated_at: values.now,
        cursor: sql`case when connections.status = 'disconnected' then null else connections.cursor end`,
        complete_run: sql`case when connections.status = 'disconnected' then null else connections.complete_run end`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}


/** Asks for a sync as soon as a worker is free (unless the source wants re-authorisation). */
export async function requestSyncNow(db: Db, userId: string, connectionId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({ next_sync_at: now })
    .where('connection_id', '=', connectionId)
    .where('user_id', '=', userId)
    .where('status', 'in', ['active', 'error', 'syncing'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
