import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A secret we hand out (attempt id, session token, code, refresh token) and the digest we keep. */
export interface OpaqueSecret {
  value: string;
  hash: Buffer;
}

/**
 * 32 random bytes, base64url, and its SHA-256: 256 random bits need no slow hash, so the
 * digest is what the tables store and what lookups use.
 *
 * @example
 * const { value, hash } = newOpaqueSecret(); // value goes to the client, hash to the table
 */
export function newOpaqueSecret(): OpaqueSecret {
  const value = randomBytes(32).toString('base64url');
  return { value, hash: hashSecret(value) };
}

/**
 * The SHA-256 of a presented secret, for looking it up.
 *
 * @example
 * const row = await findSession(db, hashSecret(sessionToken));
 */
export function hashSecret(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether `BASE64URL(SHA-256(verifier)) === challenge` (RFC 7636 §4.6, S256), compared in
 * constant time.
 *
 * @example
 * if (!verifierMatches(params.code_verifier, row.code_challenge)) throw invalidGrant();
 */
export function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'), 'ascii');
  const expected = Buffer.from(challenge, 'ascii');
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
