import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { IntegrationsDatabase } from '../../db/database';
import type { TokenVault } from './token-vault';

/**
 * After a master-key rotation (a new key first in VAULT_MASTER_KEYS), re-wraps the data keys
 * still under an older one, in batches, now and every `intervalMs`; tokens stay as they are.
 * Once the count of old-key data keys is 0 the old master key can leave the configuration.
 *
 * @example
 * const rewrap = startVaultRewrap({ db, vault, log, intervalMs: 600_000 });
 */
export function startVaultRewrap(deps: { db: Kysely<IntegrationsDatabase>; vault: TokenVault; log: Logger; intervalMs: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = async () => {
    let total = 0;
    for (let batch = await deps.vault.rewrapDataKeys(deps.db); batch > 0 && !stopped; batch = await deps.vault.rewrapDataKeys(deps.db)) total += batch;
    if (total > 0) deps.log.info({ rewrapped: total }, 'data keys re-wrapped under the current master key');
  };
  const tick = () => {
    running = pass().catch((err: unknown) => deps.log.warn({ err }, 're-wrapping data keys failed; tried again later'));
    if (deps.intervalMs > 0 && !stopped) {
      timer = setTimeout(tick, deps.intervalMs);
      timer.unref();
    }
  };
  if (deps.intervalMs > 0) {
    timer = setTimeout(tick, 0);
    timer.unref();
  }
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
