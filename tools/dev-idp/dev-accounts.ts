import { createHash } from 'node:crypto';

/** Who signs in at the local identity provider: anyone, under the name they type. */
export interface DevAccount {
  /** `dev-<slug>`: the same name (any case, any accents) is always the same person. */
  readonly sub: string;
  readonly email: string;
  readonly name: string;
}

export const DEV_EMAIL_DOMAIN = 'dev.oo.local';

function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  // A name with no letters or digits (e.g. "李雷" or "???") still needs a stable subject.
  return slug || `u-${createHash('sha256').update(name.trim()).digest('hex').slice(0, 12)}`;
}

/**
 * The account a name signs in as. Subjects and e-mail addresses are a pure function of the
 * name, so tests and tools can predict them (`ada` → `dev-ada`, `ada@dev.oo.local`).
 *
 * @example
 * devAccountFor('Ada Lovelace'); // { sub: 'dev-ada-lovelace', email: 'ada-lovelace@dev.oo.local', name: 'Ada Lovelace' }
 */
export function devAccountFor(name: string): DevAccount {
  const slug = slugOf(name);
  return { sub: `dev-${slug}`, email: `${slug}@${DEV_EMAIL_DOMAIN}`, name: name.trim().replace(/\s+/g, ' ') };
}
