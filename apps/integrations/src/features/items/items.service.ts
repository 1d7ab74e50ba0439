import type { Kysely } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import { IntegrationsError } from '../../errors';
import { findItem } from './items.repository';

/** An item as the API shows it. */
export interface Item {
  id: string;
  title: string;
  createdAt: string;
}

export interface ItemsService {
  /** The caller's item; throws `INTEGRATIONS_ITEM_NOT_FOUND` for an unknown one or another user's. */
  itemOf(userId: string, itemId: string): Promise<Item>;
}

/**
 * The items use cases over integrations's database.
 *
 * @example
 * const items = createItemsService({ db });
 * const item = await items.itemOf('ada', '0b7c…');
 */
export function createItemsService(deps: { db: Kysely<IntegrationsDatabase> }): ItemsService {
  return {
    async itemOf(userId, itemId) {
      const row = await findItem(deps.db, userId, itemId);
      // Another user's item gets the same answer as a missing one, so ids reveal nothing.
      if (!row) throw new IntegrationsError('INTEGRATIONS_ITEM_NOT_FOUND', `you have no item ${itemId}`);
      return { id: row.item_id, title: row.title, createdAt: row.created_at.toISOString() };
    },
  };
}
