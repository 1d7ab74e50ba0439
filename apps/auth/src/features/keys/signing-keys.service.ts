import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { inTransaction, type Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { AuthDatabase } from '../../db/database';
import { AuthError } from '../../errors';

type AuthErrorInstance = InstanceType<typeof AuthError>;
import { decryptPrivateJwk, encryptPrivateJwk } from './key-encryption';
import { isEmptyPlan, isPublished, planKeys, signingKidAt, type KeyPlan, type KeyPolicy } from './key-schedule';
import {
  deleteSigningKeys,
  insertSigningKey,
  listSigningKeys,
  lockSigningKeys,
  retireSigningKey,
  startSigningKeyNow,
  type SigningKeyRow,
  type SigningKeySchedule,
} from './signing-key.repository';

/** A public signing key as the JWKS lists it. */
export interface PublicSigningJwk extends JWK {
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/** The key that signs now. */
export interface ActiveSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export interface SigningKeysDeps {
  db: Kysely<AuthDatabase>;
  log: Logger;
  clock: () => Date;
  /** AUTH_KEY_ENCRYPTION_KEY's 32 bytes. */
  kek: Uint8Array;
  policy: KeyPolicy;
}

interface CachedKey extends SigningKeySchedule {
  publicJwk: PublicSigningJwk;
  privateKey?: CryptoKey;
  failure?: AuthErrorInstance;
}

async function newKeyPair(kek: Uint8Array): Promise<{ kid: string; publicJwk: PublicSigningJwk; privateJwe: string }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  const publicJwk: PublicSigningJwk = { ...pub, kid, alg: 'ES256', use: 'sig' };
  return { kid, publicJwk, privateJwe: await encryptPrivateJwk(await exportJWK(privateKey), kid, kek) };
}

async function applyPlan(trx: Parameters<typeof lockSigningKeys>[0], plan: KeyPlan, now: Date, kek: Uint8Array): Promise<void> {
  for (const kid of plan.startNow) await startSigningKeyNow(trx, kid, now);
  for (const r of plan.retire) await retireSigningKey(trx, r.kid, r.retiredAt, r.expiresAt);
  await deleteSigningKeys(trx, plan.remove);
  for (const c of plan.create) {
    const pair = await newKeyPair(kek);
    await insertSigningKey(trx, { kid: pair.kid, publicJwk: { ...pair.publicJwk }, privateJwe: pair.privateJwe, createdAt: now, signsFrom: c.signsFrom });
  }
}

/**
 * auth's signing keys: ES256 pairs in `signing_keys`, private parts sealed under
 * AUTH_KEY_ENCRYPTION_KEY, decrypted once into memory. `check()` brings the stored set in line
 * with the schedule (see `planKeys`) under an advisory lock, so any number of instances may run
 * it, and reloads what changed; `start()` runs it once and then every minute.
 *
 * @example
 * const keys = new SigningKeys({ db, log, clock, kek, policy });
 * await keys.start();
 * const { kid, privateKey } = keys.activeKey();
 */
export class SigningKeys {
  private cache = new Map<string, CachedKey>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SigningKeysDeps) {}

  /** How often `start()` re-checks the schedule; part of how long a retired key stays published. */
  static readonly CHECK_INTERVAL_MS = 60_000;

  /** Makes sure a key signs and a next one is published, then re-checks every minute. Rejects when the keys cannot be decrypted. */
  async start(): Promise<void> {
    await this.check();
    const key = this.activeKey();
    this.deps.log.info({ kid: key.kid, keys: this.cache.size }, 'signing keys ready');
    this.timer = setInterval(() => {
      this.check().catch((err: unknown) => this.deps.log.error({ err }, 'signing key check failed'));
    }, SigningKeys.CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Rotates when due, removes expired keys, and reloads the cache from the database. */
  async check(): Promise<void> {
    await this.change({});
  }

  /** Forces a rotation now: the published next key takes over at once and a new next key is made. */
  async rotate(): Promise<void> {
    await this.change({ force: true });
    this.deps.log.info({ kid: this.activeKey().kid }, 'signing key rotated on request');
  }

  /** The key that signs now; `AUTH_SIGNING_KEY_UNAVAILABLE` when none is known or it cannot be decrypted. */
  activeKey(): ActiveSigningKey {
    const kid = signingKidAt([...this.cache.values()], this.deps.clock());
    const key = kid === undefined ? undefined : this.cache.get(kid);
    if (!key) throw new AuthError('AUTH_SIGNING_KEY_UNAVAILABLE', 'no signing key is active');
    if (!key.privateKey) throw key.failure ?? new AuthError('AUTH_SIGNING_KEY_UNAVAILABLE', `signing key ${key.kid} is not loaded`);
    return { kid: key.kid, privateKey: key.privateKey };
  }

  /** Every published, unexpired public key, oldest first. */
  publishedKeys(): PublicSigningJwk[] {
    const now = this.deps.clock();
    return [...this.cache.values()].filter((k) => isPublished(k, now)).map((k) => k.publicJwk);
  }

  /** The schedule of the known keys, for status pages and tests. */
  schedule(): SigningKeySchedule[] {
    return [...this.cache.values()].map(({ kid, createdAt, signsFrom, retiredAt, expiresAt }) => ({ kid, createdAt, signsFrom, retiredAt, expiresAt }));
  }

  private async change(options: { force?: boolean }): Promise<void> {
    const { db, clock, policy, kek } = this.deps;
    const rows = await inTransaction(db, async (trx) => {
      await lockSigningKeys(trx);
      const now = clock();
      const plan = planKeys(await listSigningKeys(trx), now, policy, options);
      if (isEmptyPlan(plan)) return listSigningKeys(trx);
      await applyPlan(trx, plan, now, kek);
      this.deps.log.info({ started: plan.startNow, retired: plan.retire.map((r) => r.kid), created: plan.create.length, removed: plan.remove }, 'signing keys changed');
      return listSigningKeys(trx);
    });
    await this.reload(rows);
  }

  private async reload(rows: readonly SigningKeyRow[]): Promise<void> {
    const next = new Map<string, CachedKey>();
    for (const row of rows) {
      const known = this.cache.get(row.kid);
      const schedule = { kid: row.kid, createdAt: row.createdAt, signsFrom: row.signsFrom, retiredAt: row.retiredAt, expiresAt: row.expiresAt };
      if (known && !known.failure) {
        next.set(row.kid, { ...known, ...schedule });
        continue;
      }
      next.set(row.kid, { ...schedule, publicJwk: row.publicJwk as unknown as PublicSigningJwk, ...(await this.open(row)) });
    }
    this.cache = next;
  }

  // Retired keys sign nothing again, so only the others are decrypted.
  private async open(row: SigningKeyRow): Promise<{ privateKey?: CryptoKey; failure?: AuthErrorInstance }> {
    if (row.retiredAt !== null) return {};
    try {
      const jwk = await decryptPrivateJwk(row.privateJwe, row.kid, this.deps.kek);
      return { privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey };
    } catch (err) {
      const failure = err instanceof AuthError ? err : new AuthError('AUTH_SIGNING_KEY_UNAVAILABLE', `signing key ${row.kid} could not be imported`, { cause: err });
      this.deps.log.error({ err: failure, kid: row.kid, code: failure.code }, 'a signing key could not be decrypted: check AUTH_KEY_ENCRYPTION_KEY');
      return { failure };
    }
  }
}
