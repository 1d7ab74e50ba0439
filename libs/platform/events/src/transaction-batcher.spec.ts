import type { Kysely } from 'kysely';
import { createTransactionBatcher } from './transaction-batcher';

// A database whose transactions only record which works ran in them (each work returns its label).
function recordingDb() {
  const transactions: string[][] = [];
  const db = {
    transaction: () => ({
      execute: async <T>(fn: (trx: unknown) => Promise<T>): Promise<T> => {
        const ran: string[] = [];
        transactions.push(ran);
        const result = await fn({ ran });
        return result;
      },
    }),
  };
  return { db: db as unknown as Kysely<unknown>, transactions };
}

const work = (label: string) => async (trx: unknown) => {
  (trx as { ran: string[] }).ran.push(label);
  return label;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createTransactionBatcher', () => {
  it('without a linger, a work that finds nothing running starts alone at once', async () => {
    const { db, transactions } = recordingDb();
    const batcher = createTransactionBatcher(db, { maxBatch: 32, parallel: 1 });
    const first = batcher.run(work('a'), 'u1');
    await sleep(2);
    await Promise.all([first, batcher.run(work('b'), 'u2')]);
    expect(transactions).toEqual([['a'], ['b']]);
  });

  it('with a linger, works arriving within it share one transaction, each with its own result', async () => {
    const { db, transactions } = recordingDb();
    const batcher = createTransactionBatcher(db, { maxBatch: 32, parallel: 2, lingerMs: 40 });
    const a = batcher.run(work('a'), 'u2');
    await sleep(5);
    const b = batcher.run(work('b'), 'u1');
    await sleep(5);
    const c = batcher.run(work('c'), 'u3');
    expect(transactions).toEqual([]);
    await expect(Promise.all([a, b, c])).resolves.toEqual(['a', 'b', 'c']);
    // Ordered by lock key inside the batch.
    expect(transactions).toEqual([['b', 'a', 'c']]);
  });

  it('starts before the linger ends once a full batch is waiting', async () => {
    const { db, transactions } = recordingDb();
    const batcher = createTransactionBatcher(db, { maxBatch: 2, parallel: 1, lingerMs: 10_000 });
    const started = Date.now();
    await Promise.all([batcher.run(work('a'), 'u1'), batcher.run(work('b'), 'u2')]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(transactions).toEqual([['a', 'b']]);
  });

  it('a work that waited out the linger behind a running batch goes in the next one without waiting again', async () => {
    jest.useFakeTimers();
    try {
      const { db, transactions } = recordingDb();
      const batcher = createTransactionBatcher(db, { maxBatch: 32, parallel: 1, lingerMs: 20 });
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = batcher.run(async (trx) => {
        await gate;
        return work('slow')(trx);
      }, 'u1');
      await jest.advanceTimersByTimeAsync(20);
      expect(transactions).toEqual([[]]);
      let lateDone = false;
      const late = batcher.run(work('late'), 'u2').then(() => (lateDone = true));
      await jest.advanceTimersByTimeAsync(30);
      release();
      await slow;
      // No timer has to fire: it queued 30 ms ago, longer than the linger.
      await jest.advanceTimersByTimeAsync(0);
      expect(lateDone).toBe(true);
      await late;
      expect(transactions).toEqual([['slow'], ['late']]);
    } finally {
      jest.useRealTimers();
    }
  });
});
