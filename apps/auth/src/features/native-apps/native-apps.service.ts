import { randomUUID } from 'node:crypto';
import { inTransaction, type Transaction } from '@oo/db';
import type { AuthDatabase } from '../../db/database';
import { AuthError } from '../../errors';
import { enqueueRevoked } from '../../events/publishers';
import type { AuthContext } from '../../service';
import { hashSecret, newOpaqueSecret, verifierMatches } from '../sign-in/opaque-secret';
import type { TokenResponse } from '../tokens/token-grant';
import { rolesOf } from '../users/users.service';
import {
  consumeAuthorizationCode,
  insertAuthorizationCode,
  insertFamily,
  pruneEndedRefreshTokens,
  insertRefreshToken,
  lockAuthorizationCode,
  lockRefreshToken,
  markRefreshTokenUsed,
  pruneAuthorizationCodes,
  revokeFamily,
} from './native-apps.repository';

/** An authorization code is good for this long (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const AUTHORIZATION_CODE_TTL_MS = 60_000;
// Used codes stay this long past expiry so that a late replay still revokes the tokens it got.
const CODE_RETENTION_MS = 10 * 60_000;

type NativeDeps = Pick<AuthContext, 'db' | 'config' | 'clock' | 'enqueue' | 'tokens'>;

/** What a native sign-in's callback binds its code to. */
export interface CodeBinding {
  userId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  appState: string | null;
}

/**
 * Issues a one-time authorization code for a native app and returns the loopback URL the browser
 * goes to: `redirect_uri?code=…&state=…&iss=…` (RFC 6749 §4.1.2, RFC 9207).
 *
 * @example
 * const redirectTo = await issueAuthorizationCode(trx, ctx, { userId, clientId, redirectUri, codeChallenge, appState });
 */
export async function issueAuthorizationCode(trx: Transaction<AuthDatabase>, deps: Pick<AuthContext, 'config' | 'clock'>, binding: CodeBinding): Promise<string> {
  const now = deps.clock();
  await pruneAuthorizationCodes(trx, new Date(now.getTime() - CODE_RETENTION_MS));
  const code = newOpaqueSecret();
  await insertAuthorizationCode(trx, {
    code_hash: code.hash,
    user_id: binding.userId,
    client_id: binding.clientId,
    redirect_uri: binding.redirectUri,
    code_challenge: binding.codeChallenge,
    created_at: now,
    expires_at: new Date(now.getTime() + AUTHORIZATION_CODE_TTL_MS),
  });
  const url = new URL(binding.redirectUri);
  url.searchParams.set('code', code.value);
  if (binding.appState !== null) url.searchParams.set('state', binding.appState);
  url.searchParams.set('iss', deps.config.AUTH_ISSUER);
  return url.toString();
}

const invalidGrant = (detail: string) => new AuthError('AUTH_INVALID_GRANT', detail);

function required(params: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = params[name];
  if (!value) throw new AuthError('AUTH_INVALID_REQUEST', `${name} is required`);
  return value;
}

function nativeClient(deps: Pick<AuthContext, 'config'>, params: Readonly<Record<string, string | undefined>>): string {
  const clientId = required(params, 'client_id');
  if (!deps.config.NATIVE_CLIENT_IDS.includes(clientId)) throw new AuthError('AUTH_INVALID_CLIENT', 'unknown client');
  return clientId;
}

// A new refresh token in the family and an access token whose `sid` is the family, so that
// revoking the family (users.revoked with that session id) ends its access tokens too.
async function issueTokens(trx: Transaction<AuthDatabase>, deps: NativeDeps, family: { familyId: string; userId: string; clientId: string; expiresAt: Date; signedInAt: Date }): Promise<TokenResponse> {
  const now = deps.clock();
  const refresh = newOpaqueSecret();
  const expiresAt = new Date(Math.min(now.getTime() + deps.config.REFRESH_TOKEN_TTL_MS, family.expiresAt.getTime()));
  await insertRefreshToken(trx, { tokenHash: refresh.hash, familyId: family.familyId, issuedAt: now, expiresAt });
  const roles = await rolesOf(trx, deps.config.ADMIN_SUBJECTS, family.userId);
  // A refresh keeps the time of the sign-in that started the family: refreshing is not signing in.
  const minted = await deps.tokens.mintAccessToken({ userId: family.userId, roles, sessionId: family.familyId, clientId: family.clientId, authTime: family.signedInAt });
  const expiresIn = Math.max(0, Math.round((new Date(minted.expiresAt).getTime() - now.getTime()) / 1000));
  return { access_token: minted.token, token_type: 'Bearer', expires_in: expiresIn, refresh_token: refresh.value };
}

/**
 * `grant_type=authorization_code` for native apps: the code once, with the verifier of its PKCE
 * challenge, the same redirect_uri and client_id. A code presented again is refused and the
 * family it was exchanged for is revoked (RFC 6749 §4.1.2).
 *
 * @example
 * const tokens = await exchangeAuthorizationCode(ctx, { code, code_verifier, redirect_uri, client_id });
 */
export async function exchangeAuthorizationCode(deps: NativeDeps, params: Readonly<Record<string, string | undefined>>): Promise<TokenResponse> {
  const clientId = nativeClient(deps, params);
  const code = required(params, 'code');
  const verifier = required(params, 'code_verifier');
  const redirectUri = required(params, 'redirect_uri');
  const now = deps.clock();
  const outcome = await inTransaction(deps.db, async (trx): Promise<TokenResponse | string> => {
    const row = await lockAuthorizationCode(trx, hashSecret(code));
    if (!row) return 'unknown authorization code';
    if (row.consumed_at) {
      if (row.family_id && (await revokeFamily(trx, row.family_id, now, 'authorization_code_reuse'))) {
        await enqueueRevoked(trx, deps, { userId: row.user_id, sessionId: row.family_id, reason: 'authorization_code_reuse' });
      }
      return 'the authorization code was already used';
    }
    if (row.expires_at <= now) return 'the authorization code has expired';
    if (row.client_id !== clientId || row.redirect_uri !== redirectUri) return 'the code was issued to another client or redirect_uri';
    if (!verifierMatches(verifier, row.code_challenge)) return 'code_verifier does not match the code challenge';
    const familyId = randomUUID();
    const familyExpiresAt = new Date(now.getTime() + deps.config.REFRESH_FAMILY_MAX_AGE_MS);
    await pruneEndedRefreshTokens(trx, now);
    await insertFamily(trx, { familyId, userId: row.user_id, clientId, createdAt: now, absoluteExpiresAt: familyExpiresAt });
    await consumeAuthorizationCode(trx, row.code_hash, now, familyId);
    return issueTokens(trx, deps, { familyId, userId: row.user_id, clientId, expiresAt: familyExpiresAt, signedInAt: now });
  });
  // Thrown after the commit: a replay's revocation must stick.
  if (typeof outcome === 'string') throw invalidGrant(outcome);
  return outcome;
}

/**
 * `grant_type=refresh_token`: the token is rotated on every use. A token used before means two
 * parties hold the family; the whole family is revoked and `users.revoked` queued (RFC 9700
 * §4.14.2).
 *
 * @example
 * const tokens = await refreshTokens(ctx, { refresh_token, client_id });
 */
export async function refreshTokens(deps: NativeDeps, params: Readonly<Record<string, string | undefined>>): Promise<TokenResponse> {
  const clientId = nativeClient(deps, params);
  const presented = required(params, 'refresh_token');
  const now = deps.clock();
  const outcome = await inTransaction(deps.db, async (trx): Promise<TokenResponse | string> => {
    const row = await lockRefreshToken(trx, hashSecret(presented));
    if (!row || row.client_id !== clientId) return 'unknown refresh token';
    if (row.used_at) {
      if (await revokeFamily(trx, row.family_id, now, 'refresh_token_reuse')) {
        await enqueueRevoked(trx, deps, { userId: row.user_id, sessionId: row.family_id, reason: 'refresh_token_reuse' });
      }
      return 'the refresh token was already used; its family is revoked';
    }
    if (row.family_revoked_at) return 'the refresh token was revoked';
    if (row.expires_at <= now || row.family_expires_at <= now) return 'the refresh token has expired';
    await markRefreshTokenUsed(trx, row.token_hash, now);
    return issueTokens(trx, deps, { familyId: row.family_id, userId: row.user_id, clientId, expiresAt: row.family_expires_at, signedInAt: row.family_created_at });
  });
  if (typeof outcome === 'string') throw invalidGrant(outcome);
  return outcome;
}

/**
 * Signs a native app out (RFC 7009): the token's family is revoked and `users.revoked` names
 * it. Unknown tokens, or another client's, are a quiet no-op.
 *
 * @example
 * await revokeRefreshToken(ctx, refreshToken, 'oo-native');
 */
export async function revokeRefreshToken(deps: Pick<AuthContext, 'db' | 'clock' | 'enqueue'>, refreshToken: string, clientId: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const row = await lockRefreshToken(trx, hashSecret(refreshToken));
    if (!row || row.client_id !== clientId) return;
    if (await revokeFamily(trx, row.family_id, deps.clock(), 'sign_out')) {
      await enqueueRevoked(trx, deps, { userId: row.user_id, sessionId: row.family_id, reason: 'sign_out' });
    }
  });
}
