import { randomBytes } from 'node:crypto';

/** A fresh master key entry for VAULT_MASTER_KEYS, e.g. `k1:…`. */
export const masterKey = (id: string) => `${id}:${randomBytes(32).toString('base64url')}`;
