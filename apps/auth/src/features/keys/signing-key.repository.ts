import { sql, type Executor, type Transaction } from '@oo/db';
import type { AuthDatabase } from '../../db/database';

/** A signing key's schedule, without its private part. */
export interface SigningKeySchedule {
  kid: string;
  createdAt: Date;
  signsFrom: Date;
  retiredAt: Date | null;
  expiresAt: Date | null;
}

/** A row as the key cache needs it. */
export interface SigningKeyRow extends SigningKeySchedule {
  publicJwk: Record<string, unknown>;
  privateJwe: string;
}

// Every auth instance takes this lock before it changes the key set, so two instances starting
// together make one first key, not two.
const KEY_LOCK = 'auth.signing_keys';

/** Serialises key changes across instances until `trx` ends. */
export async function lockSigningKeys(trx: Transaction<AuthDatabase>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${KEY_LOCK}))`.execute(trx);
}

/** Every stored key, oldest first. */
export async function listSigningKeys(db: Executor<AuthDatabase>): Promise<SigningKeyRow[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().orderBy('signs_from').orderBy('kid').execute();
  return rows.map((r) => ({
    kid: r.kid,
    createdAt: r.created_at,
    signsFrom: r.signs_from,
    retiredAt: r.retired_at,
    expiresAt: r.expires_at,
    publicJwk: r.public_jwk,
    privateJwe: r.private_jwe,
  }));
}

export async function insertSigningKey(
  db: Executor<AuthDatabase>,
  key: { kid: string; publicJwk: Record<string, unknown>; privateJwe: string; createdAt: Date; signsFrom: Date },
): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({ kid: key.kid, public_jwk: key.publicJwk, private_jwe: key.privateJwe, created_at: key.createdAt, signs_from: key.signsFrom })
    .execute();
}

export async function retireSigningKey(db: Executor<AuthDatabase>, kid: string, retiredAt: Date, expiresAt: Date): Promise<void> {
  await db.updateTable('signing_keys').set({ retired_at: retiredAt, expires_at: expiresAt }).where('kid', '=', kid).execute();
}

/** Moves a published key's start, for a forced rotation (it takes over now). */
export async function startSigningKeyNow(db: Executor<AuthDatabase>, kid: string, now: Date): Promise<void> {
  await db.updateTable('signing_keys').set({ signs_from: now }).where('kid', '=', kid).execute();
}

/** Deletes keys out of the JWKS for good: no token they signed is still valid. */
export async function deleteSigningKeys(db: Executor<AuthDatabase>, kids: readonly string[]): Promise<void> {
  if (kids.length > 0) await db.deleteFrom('signing_keys').where('kid', 'in', kids).execute();
}
