import type { Generated } from '@oo/db';

/** A user's data key, wrapped by a master key (erased first when the user is deleted). */
export interface DataKeysTable {
  user_id: string;
  wrapped_key: Buffer;
  master_key_id: string;
  created_at: Generated<Date>;
  rewrapped_at: Date | null;
}

/** A connection's tokens, sealed under the owner's data key. */
export interface ConnectionTokensTable {
  connection_id: string;
  user_id: string;
  sealed: Buffer;
  access_expires_at: Date | null;
  updated_at: Generated<Date>;
}
