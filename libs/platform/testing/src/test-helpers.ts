import type { JetStreamManager } from '@nats-io/jetstream';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * Polls until `check` returns something other than undefined; fails naming `what` after `timeoutMs`.
 *
 * @example
 * const row = await eventually(() => findRow(db, id), 'the projected row');
 */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A signing key made for one test file: the JWKS a service reads from AUTH_JWKS, and a signer. */
export interface TestAuth {
  readonly issuer: string;
  readonly jwks: string;
  /**
   * A 10-minute ES256 token for `subject` (audience `oo`, `iat` now): a user's access token
   * (`token_use: 'access'`) unless `claims` say otherwise, e.g. `sign('ada', { roles: ['admin'] })`
   * or `sign('recommender', { token_use: 'service' })`; `{ token_use: undefined }` leaves it out.
   */
  sign(subject: string, claims?: Record<string, unknown>): Promise<string>;
}

export const TEST_ISSUER = 'urn:oo:test';

/**
 * @example
 * const auth = await createTestAuth();
 * const serviceToken = await auth.sign('recommender', { token_use: 'service' });
 */
export async function createTestAuth(issuer = TEST_ISSUER): Promise<TestAuth> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' }] });
  return {
    issuer,
    jwks,
    sign: (subject, claims = {}) =>
      new SignJWT({ token_use: 'access', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'test' })
        .setSubject(subject)
        .setIssuer(issuer)
        .setAudience('oo')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
  };
}

/** Deletes a test file's streams: they reserve their byte limits on the shared server. */
export async function deleteStreamsWithPrefix(jsm: JetStreamManager, prefix: string): Promise<void> {
  for await (const name of jsm.streams.names()) if (name.startsWith(`${prefix}_`)) await jsm.streams.delete(name);
}
