import type { Executor } from '@oo/db';
import type { IntegrationsDatabase } from '../../db/database';
import { IntegrationsError } from '../../errors';
import type { MasterKeyring } from './master-keys';
import { newKey, open, seal } from './sealed-box';

/** What a connection holds from its provider; never logged, never returned by an API. */
export interface ProviderTokens {
  accessToken: string;
  refreshToken: string | null;
  /** When the access token stops working; null: the provider does not say (Todoist's do not expire). */
  expiresAt: string | null;
}

type Db = Executor<IntegrationsDatabase>;

const dataKeyAad = (userId: string) => `oo.integrations.data-key:${userId}`;
const tokensAad = (connectionId: string) => `oo.integrations.tokens:${connectionId}`;

const unreadable = (what: string, cause?: unknown) =>
  new IntegrationsError('INTEGRATIONS_VAULT_UNREADABLE', `${what} does not decrypt (tampered, or its master key is not configured)`, { cause });

/**
 * The token vault: each user's secrets sealed (AES-256-GCM) under the user's own data key, each
 * data key wrapped by a master key from configuration. Erasing a user's data key makes every
 * value sealed for them unreadable at once, wherever a copy of it went (backups included).
 *
 * @example
 * const vault = createTokenVault(keyring);
 * await vault.storeTokens(trx, userId, connectionId, { accessToken, refreshToken: null, expiresAt: null });
 * const tokens = await vault.readTokens(db, connectionId);
 */
export function createTokenVault(keyring: MasterKeyring) {
  async function existingKey(db: Db, userId: string): Promise<Buffer | undefined> {
    const row = await db.selectFrom('data_keys').select(['wrapped_key', 'master_key_id']).where('user_id', '=', userId).executeTakeFirst();
    if (!row) return undefined;
    const master = keyring.key(row.master_key_id);
    if (!master) throw unreadable(`the data key of ${userId} (master key ${row.master_key_id})`);
    try {
      return open(master, row.wrapped_key, dataKeyAad(userId));
    } catch (err) {
      throw unreadable(`the data key of ${userId}`, err);
    }
  }

  async function dataKey(db: Db, userId: string): Promise<Buffer> {
    const found = await existingKey(db, userId);
    if (found) return found;
    const master = keyring.key(keyring.currentId) as Buffer;
    const fresh = newKey();
    await db
      .insertInto('data_keys')
      .values({ user_id: userId, wrapped_key: seal(master, fresh, dataKeyAad(userId)), master_key_id: keyring.currentId, rewrapped_at: null })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    // Another request may have created it first: theirs wins, and everyone uses the stored one.
    return (await existingKey(db, userId)) as Buffer;
  }

  return {
    /** Seals a small secret for the user (creating their data key on first use). */
    async sealFor(db: Db, userId: string, aad: string, plaintext: string): Promise<Buffer> {
      return seal(await dataKey(db, userId), Buffer.from(plaintext, 'utf8'), aad);
    },

    /** Opens what `sealFor` sealed; undefined when the user's data key is gone (erased). */
    async openFor(db: Db, userId: string, aad: string, sealed: Buffer): Promise<string | undefined> {
      const key = await existingKey(db, userId);
      if (!key) return undefined;
      try {
        return open(key, sealed, aad).toString('utf8');
      } catch (err) {
        throw unreadable('a sealed value', err);
      }
    },

    /** Stores (or replaces) a connection's tokens. */
    async storeTokens(db: Db, userId: string, connectionId: string, tokens: ProviderTokens): Promise<void> {
      const sealed = seal(await dataKey(db, userId), Buffer.from(JSON.stringify(tokens), 'utf8'), tokensAad(connectionId));
      const values = { connection_id: connectionId, user_id: userId, sealed, access_expires_at: tokens.expiresAt ? new Date(tokens.expiresAt) : null, updated_at: new Date() };
      await db
        .insertInto('connection_tokens')
        .values(values)
        .onConflict((oc) => oc.column('connection_id').doUpdateSet({ sealed: values.sealed, access_expires_at: values.access_expires_at, updated_at: values.updated_at }))
        .execute();
    },

    /** A connection's tokens; undefined when it has none (disconnected, or the user's key erased). */
    async readTokens(db: Db, connectionId: string): Promise<ProviderTokens | undefined> {
      const row = await db.selectFrom('connection_tokens').select(['user_id', 'sealed']).where('connection_id', '=', connectionId).executeTakeFirst();
      if (!row) return undefined;
      const key = await existingKey(db, row.user_id);
      if (!key) return undefined;
      try {
        return JSON.parse(open(key, row.sealed, tokensAad(connectionId)).toString('utf8')) as ProviderTokens;
      } catch (err) {
        throw unreadable(`the tokens of connection ${connectionId}`, err);
      }
    },

    async deleteTokens(db: Db, connectionId: string): Promise<void> {
      await db.deleteFrom('connection_tokens').where('connection_id', '=', connectionId).execute();
    },

    /** Crypto-shredding: destroys the user's data key, so nothing sealed for them opens again. */
    async destroyDataKey(db: Db, userId: string): Promise<void> {
      await db.deleteFrom('data_keys').where('user_id', '=', userId).execute();
    },

    /**
     * Re-wraps up to `limit` data keys still under an older master key with the current one; the
     * tokens sealed under those data keys are not touched. Returns how many it re-wrapped.
     */
    async rewrapDataKeys(db: Db, limit = 500): Promise<number> {
      const current = keyring.key(keyring.currentId) as Buffer;
      const rows = await db.selectFrom('data_keys').select(['user_id']).where('master_key_id', '!=', keyring.currentId).limit(limit).execute();
      for (const { user_id } of rows) {
        const key = await existingKey(db, user_id);
        if (!key) continue;
        await db
          .updateTable('data_keys')
          .set({ wrapped_key: seal(current, key, dataKeyAad(user_id)), master_key_id: keyring.currentId, rewrapped_at: new Date() })
          .where('user_id', '=', user_id)
          .execute();
      }
      return rows.length;
    },
  };
}

export type TokenVault = ReturnType<typeof createTokenVault>;
