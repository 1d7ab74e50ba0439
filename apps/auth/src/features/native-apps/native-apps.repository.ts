import type { Executor, Insertable, Selectable } from '@oo/db';
import type { AuthDatabase, AuthorizationCodesTable } from '../../db/database';

export type AuthorizationCodeRow = Selectable<AuthorizationCodesTable>;

export async function insertAuthorizationCode(db: Executor<AuthDatabase>, code: Insertable<AuthorizationCodesTable>): Promise<void> {
  await db.insertInto('authorization_codes').values(code).execute();
}

export function lockAuthorizationCode(db: Executor<AuthDatabase>, codeHash: Buffer): Promise<AuthorizationCodeRow | undefined> {
  return db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash).forUpdate().executeTakeFirst();
}

export async function consumeAuthorizationCode(db: Executor<AuthDatabase>, codeHash: Buffer, at: Date, familyId: string): Promise<void> {
  await db.updateTable('authorization_codes').set({ consumed_at: at, family_id: familyId }).where('code_hash', '=', codeHash).execute();
}

/** Deletes codes long past their expiry (kept a while so a replay still finds, and revokes, its family). */
export async function pruneAuthorizationCodes(db: Executor<AuthDatabase>, before: Date): Promise<void> {
  await db.deleteFrom('authorization_codes').where('expires_at', '<', before).execute();
}

export async function insertFamily(db: Executor<AuthDatabase>, family: { familyId: string; userId: string; clientId: string; createdAt: Date; absoluteExpiresAt: Date }): Promise<void> {
  await db
    .insertInto('refresh_families')
    .values({ family_id: family.familyId, user_id: family.userId, client_id: family.clientId, created_at: family.createdAt, absolute_expires_at: family.absoluteExpiresAt })
    .execute();
}

export async function insertRefreshToken(db: Executor<AuthDatabase>, token: { tokenHash: Buffer; familyId: string; issuedAt: Date; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({ token_hash: token.tokenHash, family_id: token.familyId, issued_at: token.issuedAt, expires_at: token.expiresAt })
    .execute();
}

/** A refresh token with its family, both rows locked: of two uses at once, the second waits and then sees the first's. */
export function lockRefreshToken(db: Executor<AuthDatabase>, tokenHash: Buffer) {
  return db
    .selectFrom('refresh_tokens')
    .innerJoin('refresh_families', 'refresh_families.family_id', 'refresh_tokens.family_id')
    .select([
      'refresh_tokens.token_hash',
      'refresh_tokens.expires_at',
      'refresh_tokens.used_at',
      'refresh_families.family_id',
      'refresh_families.user_id',
      'refresh_families.client_id',
      'refresh_families.absolute_expires_at as family_expires_at',
      'refresh_families.created_at as family_created_at',
      'refresh_families.revoked_at as family_revoked_at',
    ])
    .where('refresh_tokens.token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRefreshTokenUsed(db: Executor<AuthDatabase>, tokenHash: Buffer, at: Date): Promise<void> {
  await db.updateTable('refresh_tokens').set({ used_at: at }).where('token_hash', '=', tokenHash).execute();
}

/** Revokes a family if it is live; the family's user when this call revoked it. */
export async function revokeFamily(db: Executor<AuthDatabase>, familyId: string, at: Date, reason: string): Promise<string | undefined> {
  const row = await db
    .updateTable('refresh_families')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

export async function revokeFamiliesOfUser(db: Executor<AuthDatabase>, userId: string, at: Date, reason: string): Promise<void> {
  await db.updateTable('refresh_families').set({ revoked_at: at, revoked_reason: reason }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

/**
 * Deletes up to `limit` families that ended (past their absolute expiry, or revoked more than a
 * day ago; their tokens go with them) and refresh tokens past their own expiry, which could no
 * longer be exchanged anyway. Run on every new family.
 */
export async function pruneEndedRefreshTokens(db: Executor<AuthDatabase>, now: Date, limit = 100): Promise<void> {
  const revokedBefore = new Date(now.getTime() - 86_400_000);
  await db
    .deleteFrom('refresh_families')
    .where('family_id', 'in', (eb) =>
      eb
        .selectFrom('refresh_families')
        .select('family_id')
        .where((w) => w.or([w('absolute_expires_at', '<=', now), w('revoked_at', '<', revokedBefore)]))
        .limit(limit),
    )
    .execute();
  await db
    .deleteFrom('refresh_tokens')
    .where('token_hash', 'in', (eb) => eb.selectFrom('refresh_tokens').select('token_hash').where('expires_at', '<=', now).limit(limit))
    .execute();
}
