import { z } from 'zod';
import { KEY_BYTES } from './sealed-box';

/** The master keys from configuration: the first wraps new data keys, the others only unwrap. */
export interface MasterKeyring {
  readonly currentId: string;
  key(id: string): Buffer | undefined;
  readonly ids: readonly string[];
}

const entry = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+)$/;

/**
 * `VAULT_MASTER_KEYS`: `<id>:<32 bytes base64url>` entries, comma-separated, current first. To
 * rotate, put a new key first and keep the old one after it until every data key is re-wrapped.
 *
 * @example
 * VAULT_MASTER_KEYS: masterKeysField()   // "k2:3q2-…,k1:Zm9v…"
 */
export function masterKeysField() {
  return z
    .string()
    .transform((raw, ctx) => {
      const keys = new Map<string, Buffer>();
      for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
        const match = entry.exec(part);
        const key = match ? Buffer.from(match[2] ?? '', 'base64url') : undefined;
        if (!match || key?.length !== KEY_BYTES) {
          ctx.addIssue({ code: 'custom', message: 'each entry must be <id>:<32 bytes, base64url>, e.g. k1:$(openssl rand -base64 32 | tr "+/" "-_" | tr -d =)' });
          return z.NEVER;
        }
        if (keys.has(match[1] ?? '')) {
          ctx.addIssue({ code: 'custom', message: `master key id ${match[1]} appears twice` });
          return z.NEVER;
        }
        keys.set(match[1] ?? '', key);
      }
      if (keys.size === 0) {
        ctx.addIssue({ code: 'custom', message: 'needs at least one master key' });
        return z.NEVER;
      }
      return keyring(keys);
    });
}

function keyring(keys: Map<string, Buffer>): MasterKeyring {
  const ids = [...keys.keys()];
  return { currentId: ids[0] ?? '', ids, key: (id) => keys.get(id) };
}
