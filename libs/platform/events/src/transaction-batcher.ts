import type { Kysely, Transaction } from 'kysely';

/** One unit of work that must commit atomically; it may run again, alone, if its batch fails. */
export type TransactionWork<DB, T> = (trx: Transaction<DB>) => Promise<T>;

export interface TransactionBatcher<DB> {
  /**
   * Runs `work` in a transaction, together with whatever other work is waiting when the
   * transaction starts. `lockKey` orders the batch (the user whose locks the work takes).
   */
  run<T>(work: TransactionWork<DB, T>, lockKey: string): Promise<T>;
}

interface Pending<DB> {
  work: TransactionWork<DB, unknown>;
  lockKey: string;
  queuedAt: number;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit for a consumer's events: while `parallel` transactions run, the events that arrive
 * queue up, and the next transaction handles all of them — one BEGIN and one COMMIT for the batch
 * instead of one each, so the cost per event falls as the load rises. At low load every batch is
 * one event, exactly as before. With `lingerMs`, a batch also waits until its oldest work has
 * queued that long (or `maxBatch` works are there): under a steady load whose events each commit
 * faster than the next arrives, group commit alone would still run one transaction per event.
 *
 * Each work keeps its own outcome: when anything in a batch fails (a handler's error, a sequence
 * gap, a deadlock, the database going away) the batch is rolled back and every work in it runs
 * again alone, so each gets the result or error it would have had by itself. Works take their
 * locks in `lockKey` order, so batches running side by side cannot deadlock on users' locks.
 *
 * @example
 * const batcher = createTransactionBatcher(db, { maxBatch: 32, parallel: 2, lingerMs: 5 });
 * const verdict = await batcher.run((trx) => claimAndHandle(trx, event), event.userId);
 */
export function createTransactionBatcher<DB>(db: Kysely<DB>, options: { maxBatch: number; parallel: number; lingerMs?: number }): TransactionBatcher<DB> {
  const queue: Pending<DB>[] = [];
  const lingerMs = options.lingerMs ?? 0;
  let running = 0;
  let lingering: NodeJS.Timeout | undefined;

  const alone = (p: Pending<DB>): Promise<void> => db.transaction().execute((trx) => p.work(trx)).then(p.resolve, p.reject);

  const together = async (batch: Pending<DB>[]): Promise<void> => {
    batch.sort((a, b) => (a.lockKey < b.lockKey ? -1 : a.lockKey > b.lockKey ? 1 : 0));
    let results: unknown[];
    try {
      results = await db.transaction().execute(async (trx) => {
        const out: unknown[] = [];
        for (const p of batch) out.push(await p.work(trx));
        return out;
      });
    } catch {
      await Promise.all(batch.map(alone));
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]));
  };

  const next = (): void => {
    if (running >= options.parallel || queue.length === 0) return;
    const waited = Date.now() - (queue[0] as Pending<DB>).queuedAt;
    if (waited < lingerMs && queue.length < options.maxBatch) {
      // unref: a lingering batch never keeps a stopping process alive on its own.
      lingering ??= setTimeout(() => {
        lingering = undefined;
        next();
      }, lingerMs - waited).unref();
      return;
    }
    running += 1;
    const batch = queue.splice(0, options.maxBatch);
    void (batch.length === 1 ? alone(batch[0] as Pending<DB>) : together(batch)).finally(() => {
      running -= 1;
      next();
    });
  };

  return {
    run: <T>(work: TransactionWork<DB, T>, lockKey: string) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ work, lockKey, queuedAt: Date.now(), resolve: resolve as (value: unknown) => void, reject });
        next();
      }),
  };
}
