import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { AuthConfig } from '../../config';
import type { AuthDatabase } from '../../db/database';
import { keyEncryptionKey } from './key-encryption';
import { SigningKeys } from './signing-keys.service';

// Clocks of issuer and verifiers may disagree by this much.
const CLOCK_SKEW_MS = 60_000;

/**
 * auth's signing keys from its config, started: a signing key and a published next one exist
 * when this resolves, and a timer (unref'd; stop it with `keys.stop()`) rotates them. A retired
 * key stays published for the longest token lifetime, plus one check interval (an instance may
 * learn of a forced rotation only at its next check) and clock skew.
 *
 * @example
 * const keys = await startSigningKeys({ db: kit.db, log: kit.log, clock: kit.clock, config: kit.config });
 */
export async function startSigningKeys(deps: { db: Kysely<AuthDatabase>; log: Logger; clock: () => Date; config: AuthConfig }): Promise<SigningKeys> {
  const { config } = deps;
  const keys = new SigningKeys({
    db: deps.db,
    log: deps.log,
    clock: deps.clock,
    kek: keyEncryptionKey(config.AUTH_KEY_ENCRYPTION_KEY),
    policy: {
      rotationMs: config.SIGNING_KEY_ROTATION_MS,
      publishAheadMs: config.SIGNING_KEY_PUBLISH_AHEAD_MS,
      retainAfterRetirementMs: Math.max(config.ACCESS_TOKEN_TTL_MS, config.SERVICE_TOKEN_TTL_MS) + SigningKeys.CHECK_INTERVAL_MS + CLOCK_SKEW_MS,
    },
  });
  await keys.start();
  return keys;
}
