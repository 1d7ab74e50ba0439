import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { ProfileDatabase } from '../../db/database';
import type { Clock } from '../profile-features/profile-features.service';
import { pruneTipProjections } from './tip-projection.repository';

const HOUR_MS = 3_600_000;

/**
 * Keeps the tip projections bounded: every hour, events older than the retention are deleted.
 * Returns a function that stops it.
 */
export function startProjectionPruning(db: Kysely<ProfileDatabase>, log: Logger, clock: Clock, retentionDays: number): () => void {
  const prune = (): void => {
    const before = new Date(clock().getTime() - retentionDays * 24 * HOUR_MS);
    pruneTipProjections(db, before).then(
      (deleted) => deleted > 0 && log.info({ deleted }, 'pruned old tip events'),
      (err: unknown) => log.warn({ err }, 'pruning tip events failed; will retry'),
    );
  };
  const timer = setInterval(prune, HOUR_MS);
  timer.unref();
  prune();
  return () => clearInterval(timer);
}
