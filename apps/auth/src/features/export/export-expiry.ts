import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import { startPollLoop, type PollLoop } from '@oo/service';
import type { AuthDatabase } from '../../db/database';
import { expireExports } from './export.repository';

// An expired or failed export's row (no data in it any more) answers 410 this long, then 404.
const FORGET_AFTER_MS = 30 * 86_400_000;

/**
 * Deletes archives past EXPORT_TTL_MS and fails exports whose parts did not all arrive in time,
 * once a minute, so a finished export's data is kept only as long as promised.
 *
 * @example
 * const expiry = startExportExpiry({ db, clock, log }); // await expiry.stop()
 */
export function startExportExpiry(deps: { db: Kysely<AuthDatabase>; clock: () => Date; log: Logger; intervalMs?: number }): PollLoop {
  return startPollLoop({
    what: 'expire data exports',
    intervalMs: deps.intervalMs ?? 60_000,
    log: deps.log,
    pass: async () => {
      const done = await expireExports(deps.db, deps.clock(), FORGET_AFTER_MS);
      if (done.expired + done.failed > 0) deps.log.info(done, 'data exports expired or timed out');
      return false;
    },
  });
}
