import type { Executor } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import type { ItemRow } from './items.table';

/** The user's item with this id, if they have one. */
export function findItem(db: Executor<IntegrationsDatabase>, userId: string, itemId: string): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('item_id', '=', itemId).where('user_id', '=', userId).executeTakeFirst();
}

/** Deletes every item of the user; returns how many there were. */
export async function deleteItemsOf(db: Executor<IntegrationsDatabase>, userId: string): Promise<number> {
  const result = await db.deleteFrom('items').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
