import { createDb, migrateToLatest, type Kysely } from '@oo/db';
import { createTestSchema, type TestSchema } from '@oo/testing';
import type { MlDatabase } from '../src/db/database';
import { mlServingMigrations } from '../src/db/migrations';
import { pruneDecisions } from '../src/features/reward-join/reward-join.repository';

const DAY_MS = 86_400_000;

// ml-serving keeps the reward join for DECISION_RETENTION_MS (pruned in bounded batches by the
// sweeper) and erased-user records for ERASED_USER_RETENTION_DAYS.
describe('ml-serving retention', () => {
  let target: TestSchema;
  let db: Kysely<MlDatabase>;
  const now = new Date('2027-06-01T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

  beforeAll(async () => {
    target = await createTestSchema('ml-retention');
    db = createDb<MlDatabase>({ url: target.url, schema: target.schema });
    await migrateToLatest(db, { schema: target.schema, migrations: mlServingMigrations });
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  it('prunes settled decisions and orphan feedback past the retention in batches, never open ones', async () => {
    const settled = (id: string, at: Date) => ({ decision_id: id, user_id: 'u1', served_at: at, settled_at: at, outcome: 'none' as const, reward: 0 });
    await db
      .insertInto('decisions')
      .values([
        ...Array.from({ length: 5 }, (_, i) => settled(`old-${i}`, daysAgo(8 + i))),
        settled('recent', daysAgo(6)),
        { decision_id: 'open-old', user_id: 'u1', served_at: daysAgo(30) },
        { decision_id: 'orphan-old', user_id: 'u1', reaction: 'done', reacted_at: daysAgo(9), feedback_received_at: daysAgo(9) },
        { decision_id: 'orphan-recent', user_id: 'u1', reaction: 'done', reacted_at: daysAgo(1), feedback_received_at: daysAgo(1) },
      ])
      .execute();
    expect(await pruneDecisions(db, daysAgo(7), 2, 2)).toBe(5); // 4 settled (2 batches of 2) + 1 orphan
    expect(await pruneDecisions(db, daysAgo(7), 2, 2)).toBe(1);
    const left = await db.selectFrom('decisions').select('decision_id').orderBy('decision_id').execute();
    expect(left.map((r) => r.decision_id)).toEqual(['open-old', 'orphan-recent', 'recent']);
  });
});
