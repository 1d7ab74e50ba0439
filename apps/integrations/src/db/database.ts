import type { ItemsTable } from '../features/items/items.table';

/** The `integrations` schema: everything integrations owns and nothing else (plus the outbox and inbox of @oo/events). */
export interface IntegrationsDatabase {
  items: ItemsTable;
}
