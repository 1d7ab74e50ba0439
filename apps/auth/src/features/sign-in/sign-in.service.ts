import { inTransaction } from '@oo/db';
import { AuthError } from '../../errors';
import type { AuthContext } from '../../service';
import { issueAuthorizationCode } from '../native-apps/native-apps.service';
import { createSession, type NewSession } from '../sessions/sessions.service';
import { userForIdentity } from '../users/users.service';
import { claimLoginAttempt, insertLoginAttempt, pruneLoginAttempts, type LoginAttempt } from './login-attempts.repository';
import { hashSecret, newOpaqueSecret } from './opaque-secret';
import type { VerifiedIdentity } from './oidc-relying-party';
import type { SignInRequest } from './sign-in-request';

type SignInDeps = Pick<AuthContext, 'db' | 'config' | 'clock' | 'enqueue' | 'relyingParty'>;

export interface StartedSignIn {
  attemptId: string;
  authorizationUrl: string;
  expiresAt: string;
}

export type CompletedSignIn = { kind: 'web'; returnTo: string; session: NewSession } | { kind: 'native'; redirectTo: string };

/**
 * Starts a sign-in: a login attempt (state, nonce, PKCE verifier towards the provider, and where
 * to go afterwards) behind a random attempt id that the gateway keeps in the login cookie.
 *
 * @example
 * const { attemptId, authorizationUrl } = await startSignIn(ctx, { client: 'web', returnTo: '/' });
 */
export async function startSignIn(deps: SignInDeps, request: SignInRequest): Promise<StartedSignIn> {
  const begun = await deps.relyingParty.begin();
  const now = deps.clock();
  const attempt = newOpaqueSecret();
  const expiresAt = new Date(now.getTime() + deps.config.LOGIN_ATTEMPT_TTL_MS);
  const native = request.client === 'native' ? request : undefined;
  await inTransaction(deps.db, async (trx) => {
    await pruneLoginAttempts(trx, now);
    await insertLoginAttempt(trx, {
      attempt_hash: attempt.hash,
      state: begun.state,
      nonce: begun.nonce,
      code_verifier: begun.codeVerifier,
      client: request.client,
      return_to: request.client === 'web' ? request.returnTo : null,
      native_client_id: native?.clientId ?? null,
      native_redirect_uri: native?.redirectUri ?? null,
      native_code_challenge: native?.codeChallenge ?? null,
      native_state: native?.state ?? null,
      created_at: now,
      expires_at: expiresAt,
    });
  });
  return { attemptId: attempt.value, authorizationUrl: begun.authorizationUrl, expiresAt: expiresAt.toISOString() };
}

function signInFailed(detail: string) {
  return new AuthError('AUTH_SIGN_IN_FAILED', detail);
}

function parseCallbackUrl(value: unknown): URL {
  if (typeof value !== 'string' || !URL.canParse(value)) throw signInFailed('callbackUrl must be the absolute URL the provider redirected to');
  return new URL(value);
}

async function finishSignIn(deps: SignInDeps, attempt: LoginAttempt, identity: VerifiedIdentity): Promise<CompletedSignIn> {
  return inTransaction(deps.db, async (trx) => {
    const { userId } = await userForIdentity(trx, deps, identity);
    if (attempt.client === 'web') return { kind: 'web' as const, returnTo: attempt.return_to ?? '/', session: await createSession(trx, deps, userId) };
    const { native_client_id: clientId, native_redirect_uri: redirectUri, native_code_challenge: codeChallenge } = attempt;
    if (!clientId || !redirectUri || !codeChallenge) throw signInFailed('the native sign-in attempt is incomplete');
    const redirectTo = await issueAuthorizationCode(trx, deps, { userId, clientId, redirectUri, codeChallenge, appState: attempt.native_state });
    return { kind: 'native' as const, redirectTo };
  });
}

/**
 * Completes a sign-in from the provider's callback: the attempt is used up first (one use,
 * whatever follows), the provider's answer is checked (state, PKCE, ID token, nonce), then in
 * one transaction the user is found or created and a new web session, or a native app's
 * authorization code, is made. Any failure leaves no session behind.
 *
 * @example
 * const done = await completeSignIn(ctx, { attemptId, callbackUrl });
 * if (done.kind === 'web') setSessionCookie(done.session.sessionToken);
 */
export async function completeSignIn(deps: SignInDeps, body: { attemptId?: unknown; callbackUrl?: unknown }): Promise<CompletedSignIn> {
  if (typeof body.attemptId !== 'string' || body.attemptId.length === 0 || body.attemptId.length > 256) throw signInFailed('no sign-in attempt (the login cookie is missing)');
  const callbackUrl = parseCallbackUrl(body.callbackUrl);
  const attempt = await claimLoginAttempt(deps.db, hashSecret(body.attemptId), deps.clock());
  if (!attempt) throw signInFailed('the sign-in attempt is unknown, expired or already used; start again');
  const identity = await deps.relyingParty.complete(callbackUrl, { state: attempt.state, nonce: attempt.nonce, codeVerifier: attempt.code_verifier });
  return finishSignIn(deps, attempt, identity);
}
