import type { Generated, Selectable } from '@oo/db';

/** One item, owned by one user: erased with them (see the user-deletion consumer). */
export interface ItemsTable {
  item_id: string;
  user_id: string;
  title: string;
  created_at: Generated<Date>;
}

export type ItemRow = Selectable<ItemsTable>;
