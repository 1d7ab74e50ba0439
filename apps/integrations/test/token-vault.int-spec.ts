import { createDb, migrateToLatest, type Kysely } from '@oo/db';
import { createTestSchema, type TestSchema } from '@oo/testing';
import type { IntegrationsDatabase } from '../src/db/database';
import { integrationsMigrations } from '../src/db/migrations';
import { masterKeysField } from '../src/features/vault/master-keys';
import { createTokenVault } from '../src/features/vault/token-vault';
import { masterKey } from './support/vault-keys';

const keyring = (raw: string) => masterKeysField().parse(raw);
const tokens = { accessToken: 'at-same-for-both', refreshToken: 'rt-same-for-both', expiresAt: '2026-12-02T12:00:00.000Z' };

// The vault over the real schema: what is stored, what opens, and what never opens again.
describe('token vault', () => {
  let schema: TestSchema;
  let db: Kysely<IntegrationsDatabase>;
  const oldKey = masterKey('k1');
  const newKey = masterKey('k2');

  const connection = async (connectionId: string, userId: string) => {
    await db.insertInto('connections').values({ connection_id: connectionId, user_id: userId, provider: 'todoist', account_key: connectionId, status: 'active', cursor: null, complete_run: null, last_sync_at: null, last_success_at: null, last_error: null, next_sync_at: null, lease_owner: null, lease_until: null }).execute();
    return connectionId;
  };
  const sealedOf = async (connectionId: string) => (await db.selectFrom('connection_tokens').select('sealed').where('connection_id', '=', connectionId).executeTakeFirstOrThrow()).sealed;

  beforeAll(async () => {
    schema = await createTestSchema('integrations-vault');
    db = createDb<IntegrationsDatabase>({ url: schema.url, schema: schema.schema });
    await migrateToLatest(db, { schema: schema.schema, migrations: integrationsMigrations });
  });
  afterAll(async () => {
    await db?.destroy();
    await schema?.drop();
  });

  it('stores equal tokens as different ciphertexts that contain no token text', async () => {
    const vault = createTokenVault(keyring(oldKey));
    const a = await connection('00000000-0000-4000-8000-00000000000a', 'ada');
    const b = await connection('00000000-0000-4000-8000-00000000000b', 'ada');
    await vault.storeTokens(db, 'ada', a, tokens);
    await vault.storeTokens(db, 'ada', b, tokens);
    const [sealedA, sealedB] = [await sealedOf(a), await sealedOf(b)];
    expect(sealedA.equals(sealedB)).toBe(false);
    expect(sealedA.toString('latin1')).not.toContain('same-for-both');
    expect(await vault.readTokens(db, a)).toEqual(tokens);
    expect(await vault.readTokens(db, b)).toEqual(tokens);
  });

  it('refuses a tampered ciphertext and one moved to another connection', async () => {
    const vault = createTokenVault(keyring(oldKey));
    const a = '00000000-0000-4000-8000-00000000000a';
    const b = '00000000-0000-4000-8000-00000000000b';
    const original = await sealedOf(a);
    const tampered = Buffer.from(original);
    tampered[20] = (tampered[20] ?? 0) ^ 0x01;
    await db.updateTable('connection_tokens').set({ sealed: tampered }).where('connection_id', '=', a).execute();
    await expect(vault.readTokens(db, a)).rejects.toMatchObject({ code: 'INTEGRATIONS_VAULT_UNREADABLE' });
    await db.updateTable('connection_tokens').set({ sealed: await sealedOf(b) }).where('connection_id', '=', a).execute();
    await expect(vault.readTokens(db, a)).rejects.toMatchObject({ code: 'INTEGRATIONS_VAULT_UNREADABLE' });
    await db.updateTable('connection_tokens').set({ sealed: original }).where('connection_id', '=', a).execute();
    expect(await vault.readTokens(db, a)).toEqual(tokens);
  });

  it('still opens every token after a master-key rotation, and then without the old key', async () => {
    const grace = await connection('00000000-0000-4000-8000-00000000000c', 'grace');
    await createTokenVault(keyring(oldKey)).storeTokens(db, 'grace', grace, { ...tokens, accessToken: 'grace-at' });
    const tokenBytesBefore = await sealedOf(grace);

    const rotating = createTokenVault(keyring(`${newKey},${oldKey}`));
    expect(await rotating.readTokens(db, grace)).toMatchObject({ accessToken: 'grace-at' });
    expect(await rotating.rewrapDataKeys(db)).toBe(2);
    expect(await rotating.rewrapDataKeys(db)).toBe(0);
    const masters = await db.selectFrom('data_keys').select('master_key_id').distinct().execute();
    expect(masters).toEqual([{ master_key_id: 'k2' }]);
    // Re-wrapping touched the data keys only, never a token.
    expect((await sealedOf(grace)).equals(tokenBytesBefore)).toBe(true);

    const rotated = createTokenVault(keyring(newKey));
    expect(await rotated.readTokens(db, grace)).toMatchObject({ accessToken: 'grace-at' });
    expect(await rotated.readTokens(db, '00000000-0000-4000-8000-00000000000a')).toEqual(tokens);
    await expect(createTokenVault(keyring(oldKey)).readTokens(db, grace)).rejects.toMatchObject({ code: 'INTEGRATIONS_VAULT_UNREADABLE' });
  });

  it('opens nothing of a user once their data key is destroyed, while others still open', async () => {
    const vault = createTokenVault(keyring(newKey));
    await vault.destroyDataKey(db, 'ada');
    expect(await vault.readTokens(db, '00000000-0000-4000-8000-00000000000a')).toBeUndefined();
    expect(await vault.readTokens(db, '00000000-0000-4000-8000-00000000000b')).toBeUndefined();
    expect(await vault.readTokens(db, '00000000-0000-4000-8000-00000000000c')).toMatchObject({ accessToken: 'grace-at' });
  });

  it('rejects a malformed master-key configuration with a clear message', () => {
    expect(() => keyring('k1:short')).toThrow(/32 bytes/);
    expect(() => keyring(`${oldKey},${oldKey}`)).toThrow(/appears twice/);
    expect(() => keyring(' , ')).toThrow(/at least one/);
  });
});
