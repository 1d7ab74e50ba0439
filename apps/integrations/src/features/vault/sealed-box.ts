import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/**
 * Seals bytes with AES-256-GCM under `key`: a fresh random nonce each time (so equal plaintexts
 * never look alike), `aad` bound in (so a sealed value cannot be moved to another row).
 * Layout: nonce ‖ ciphertext ‖ tag.
 *
 * @example
 * const sealed = seal(dataKey, Buffer.from(JSON.stringify(tokens)), `tokens:${connectionId}`);
 */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/**
 * Opens what `seal` made with the same key and `aad`; throws when anything differs (a tampered
 * byte, another row's value, the wrong key).
 *
 * @example
 * const tokens = JSON.parse(open(dataKey, row.sealed, `tokens:${row.connection_id}`).toString('utf8'));
 */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('the sealed value is too short to be one');
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/** A new random AES-256 key. */
export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
