import { sql, type Kysely, type Migration } from '@oo/db';

// Secrets we hand out (session cookies, refresh tokens, authorization codes, service secrets) are
// stored only as SHA-256 digests: they are 256 random bits, so a digest is as good as a slow hash
// and a copy of these tables signs nobody in.
async function createIdentityTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey())
    .addColumn('email', 'text')
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deletion_requested_at', 'timestamptz')
    .execute();
  // Keyed by the provider's issuer and subject, never by e-mail: addresses change and get reused.
  await db.schema
    .createTable('identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('linked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_sign_in_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('identities_pk', ['issuer', 'subject'])
    .execute();
  await db.schema.createIndex('identities_by_user').on('identities').column('user_id').execute();
}

async function createSignInTables(db: Kysely<unknown>): Promise<void> {
  // One row per sign-in in progress: what the callback must check (state, nonce, PKCE verifier)
  // and where it goes afterwards (the web app, or a native app's loopback redirect).
  await db.schema
    .createTable('login_attempts')
    .addColumn('attempt_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull().unique())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull().check(sql`client in ('web', 'native')`))
    .addColumn('return_to', 'text')
    .addColumn('native_client_id', 'text')
    .addColumn('native_redirect_uri', 'text')
    .addColumn('native_code_challenge', 'text')
    .addColumn('native_state', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('login_attempts_by_expiry').on('login_attempts').column('expires_at').execute();
  await db.schema
    .createTable('sessions')
    .addColumn('session_id', 'uuid', (c) => c.primaryKey())
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('absolute_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_by_user').on('sessions').column('user_id').execute();
}

async function createNativeAppTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz')
    // The family the code was exchanged for: a replayed code revokes it (RFC 6749 §4.1.2).
    .addColumn('family_id', 'uuid')
    .execute();
  await db.schema
    .createTable('refresh_families')
    .addColumn('family_id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('absolute_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema.createIndex('refresh_families_by_user').on('refresh_families').column('user_id').execute();
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('family_id', 'uuid', (c) => c.notNull().references('refresh_families.family_id').onDelete('cascade'))
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    // Set when the token was exchanged for the next one; presenting it again is reuse.
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('refresh_tokens_by_family').on('refresh_tokens').column('family_id').execute();
}

async function createIssuerTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
    // The private JWK as a compact JWE under AUTH_KEY_ENCRYPTION_KEY: a database copy signs nothing.
    .addColumn('private_jwe', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Published from created_at; signs from signs_from until retired_at; leaves the JWKS at expires_at.
    .addColumn('signs_from', 'timestamptz', (c) => c.notNull())
    .addColumn('retired_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('service_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('deletion_receipts')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('deletion_receipts_pk', ['request_id', 'service'])
    .execute();
}

/** auth's tables. Never edit this after it landed; add a migration. */
export const createAuthTables: Migration = {
  async up(db: Kysely<unknown>) {
    await createIdentityTables(db);
    await createSignInTables(db);
    await createNativeAppTables(db);
    await createIssuerTables(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['deletion_receipts', 'service_clients', 'signing_keys', 'refresh_tokens', 'refresh_families', 'authorization_codes', 'sessions', 'login_attempts', 'identities', 'users']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
