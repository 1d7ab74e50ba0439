import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { UserCreatedSchema } from '@oo/contracts';
import { sql, type Executor, type Transaction } from '@oo/db';
import type { AuthDatabase } from '../../db/database';
import { AuthError } from '../../errors';
import type { AuthContext } from '../../service';
import type { VerifiedIdentity } from '../sign-in/oidc-relying-party';
import { findUser, findUserByIdentity, insertIdentity, insertUser, subjectsOf, touchIdentity } from './users.repository';

type UsersDeps = Pick<AuthContext, 'enqueue' | 'clock'>;

/** What a user looks like on `GET /internal/v1/users/{userId}`. */
export interface UserView {
  id: string;
  email: string | null;
  displayName: string | null;
  roles: string[];
  createdAt: string;
}

/**
 * The user behind a verified identity, keyed by (issuer, subject) and never by e-mail: a first
 * sign-in creates the user and queues `users.created` in the caller's transaction. A user whose
 * deletion was requested cannot sign in again.
 *
 * @example
 * const { userId, created } = await inTransaction(ctx.db, (trx) => userForIdentity(trx, ctx, identity));
 */
export async function userForIdentity(trx: Transaction<AuthDatabase>, deps: UsersDeps, identity: VerifiedIdentity): Promise<{ userId: string; created: boolean }> {
  const key = { issuer: identity.issuer, subject: identity.subject };
  const email = identity.emailVerified ? (identity.email ?? null) : null;
  const now = deps.clock();
  // Two first sign-ins of one person at once would otherwise both create a user.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${key.issuer}\n${key.subject}`}, 0))`.execute(trx);
  const existing = await findUserByIdentity(trx, key);
  if (existing) {
    if (existing.deletion_requested_at) throw new AuthError('AUTH_SIGN_IN_FAILED', 'this account is being deleted');
    await touchIdentity(trx, key, email, now);
    return { userId: existing.user_id, created: false };
  }
  const userId = randomUUID();
  const displayName = identity.name ?? null;
  await insertUser(trx, { userId, email, displayName, createdAt: now });
  await insertIdentity(trx, key, userId, email, now);
  const event = create(UserCreatedSchema, { userId, email: email ?? '', displayName: displayName ?? '', createdAt: timestampFromDate(now) });
  await deps.enqueue(trx, 'users.created', event, { userId, time: now });
  return { userId, created: true };
}

/**
 * A user's roles: `admin` when any of their identities' subjects is in ADMIN_SUBJECTS.
 *
 * @example
 * const roles = await rolesOf(ctx.db, ctx.config.ADMIN_SUBJECTS, userId); // ['admin'] or []
 */
export async function rolesOf(db: Executor<AuthDatabase>, adminSubjects: readonly string[], userId: string): Promise<string[]> {
  if (adminSubjects.length === 0) return [];
  const subjects = await subjectsOf(db, userId);
  return subjects.some((s) => adminSubjects.includes(s)) ? ['admin'] : [];
}

/**
 * A user as the gateway shows them; AUTH_USER_NOT_FOUND when there is none.
 *
 * @example
 * res.json(await getUser(ctx, userId));
 */
export async function getUser(ctx: Pick<AuthContext, 'db' | 'config'>, userId: string): Promise<UserView> {
  const user = await findUser(ctx.db, userId);
  if (!user) throw new AuthError('AUTH_USER_NOT_FOUND', `no user ${userId}`);
  return {
    id: user.user_id,
    email: user.email,
    displayName: user.display_name,
    roles: await rolesOf(ctx.db, ctx.config.ADMIN_SUBJECTS, userId),
    createdAt: user.created_at.toISOString(),
  };
}
