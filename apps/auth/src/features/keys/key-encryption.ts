import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, type JWK } from 'jose';
import { AuthError } from '../../errors';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The key-encryption key from AUTH_KEY_ENCRYPTION_KEY (32 bytes, base64url; the config checked the length). */
export function keyEncryptionKey(base64url: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64url, 'base64url'));
}

/**
 * Seals a private JWK as a compact JWE (`dir`, `A256GCM`). The signing key's `kid` goes into the
 * protected header, which AES-GCM authenticates, so a row's ciphertext cannot be moved to another row.
 *
 * @example
 * const jwe = await encryptPrivateJwk(await exportJWK(privateKey), kid, kek);
 */
export async function encryptPrivateJwk(jwk: JWK, kid: string, kek: Uint8Array): Promise<string> {
  return new CompactEncrypt(encoder.encode(JSON.stringify(jwk)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'jwk+json', kid })
    .encrypt(kek);
}

/**
 * Opens what `encryptPrivateJwk` sealed; any failure (a wrong AUTH_KEY_ENCRYPTION_KEY above all)
 * is `AUTH_SIGNING_KEY_UNAVAILABLE` with jose's error as the cause.
 *
 * @example
 * const jwk = await decryptPrivateJwk(row.private_jwe, row.kid, kek);
 */
export async function decryptPrivateJwk(jwe: string, kid: string, kek: Uint8Array): Promise<JWK> {
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, kek, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    if (protectedHeader.kid !== kid) throw new Error(`the sealed key belongs to ${String(protectedHeader.kid)}`);
    return JSON.parse(decoder.decode(plaintext)) as JWK;
  } catch (err) {
    const sealedFor = safeKid(jwe);
    throw new AuthError(
      'AUTH_SIGNING_KEY_UNAVAILABLE',
      `signing key ${kid} could not be decrypted${sealedFor === kid ? ' (is AUTH_KEY_ENCRYPTION_KEY the one it was sealed with?)' : ''}`,
      { cause: err },
    );
  }
}

function safeKid(jwe: string): string | undefined {
  try {
    return decodeProtectedHeader(jwe).kid;
  } catch {
    return undefined;
  }
}
