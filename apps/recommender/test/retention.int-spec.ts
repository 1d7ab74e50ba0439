import { createDb, migrateToLatest, sql, type Kysely } from '@oo/db';
import { erasedUserDigest, markUserErased, type EventsDatabase } from '@oo/events';
import { createLogger } from '@oo/logger';
import { startErasedUserPruning } from '@oo/service';
import { createTestSchema, type TestSchema } from '@oo/testing';
import type { RecommenderDatabase } from '../src/db/database';
import { recommenderMigrations } from '../src/db/migrations';
import { startRetentionPruning } from '../src/features/retention/retention-pruning';
import { decisionRow } from './support/decision-rows';

const DAY_MS = 86_400_000;

// Decisions, their feedback, task tombstones and erased-user records older than the retention
// are pruned in bounded batches; younger rows and live tasks stay.
describe('recommender retention', () => {
  let target: TestSchema;
  let db: Kysely<RecommenderDatabase>;
  const now = new Date('2027-06-01T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const log = createLogger({ service: 'recommender', level: 'silent' });

  const decision = (id: number, servedAt: Date) =>
    decisionRow({ decision_id: `00000000-0000-7000-8000-${String(id).padStart(12, '0')}`, user_id: `u${id % 3}`, served_at: servedAt });
  const task = (id: string, versionAt: Date, deleted: boolean) => ({
    task_id: id,
    user_id: 'u1',
    source: 'todoist',
    title: id,
    due_at: null,
    priority: 4,
    created_at: versionAt,
    completed_at: null,
    url: 'https://example.test',
    version_at: versionAt,
    deleted,
  });
  const ids = async (table: 'decisions' | 'tip_feedback'): Promise<string[]> =>
    (await db.selectFrom(table).select('decision_id').orderBy('decision_id').execute()).map((r) => r.decision_id);

  beforeAll(async () => {
    target = await createTestSchema('recommender-retention');
    db = createDb<RecommenderDatabase>({ url: target.url, schema: target.schema });
    await migrateToLatest(db, { schema: target.schema, migrations: recommenderMigrations });
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  it('prunes old decisions with their feedback, old tombstones and old erasure records, in batches', async () => {
    const old = Array.from({ length: 7 }, (_, i) => decision(i, daysAgo(181 + i)));
    const recent = Array.from({ length: 3 }, (_, i) => decision(100 + i, daysAgo(179 - i)));
    await db.insertInto('decisions').values([...old, ...recent]).execute();
    const answered = [old[0], old[1], recent[0]].flatMap((d) => (d ? [d] : []));
    await db
      .insertInto('tip_feedback')
      .values(answered.map((d) => ({ decision_id: d.decision_id, user_id: d.user_id, reaction: 'done' as const, reacted_at: d.served_at, dwell_ms: 5 })))
      .execute();
    await db
      .insertInto('tasks')
      .values([task('gone-old', daysAgo(200), true), task('gone-recent', daysAgo(10), true), task('live-old', daysAgo(400), false)])
      .execute();
    await db
      .insertInto('nudge_slots')
      .values([
        { user_id: 'u1', slot: '2026-01-01T09', decision_id: null, outcome: 'nothing', ran_at: daysAgo(3) },
        { user_id: 'u1', slot: '2026-01-02T09', decision_id: null, outcome: 'nothing', ran_at: daysAgo(1) },
      ])
      .execute();
    const events = db as unknown as Kysely<EventsDatabase>;
    await markUserErased(events, 'erased-old');
    await markUserErased(events, 'erased-recent');
    await sql`update event_erased_user set erased_at = ${daysAgo(181)} where user_key = ${erasedUserDigest('erased-old')}`.execute(db);
    await sql`update event_erased_user set erased_at = ${daysAgo(1)} where user_key = ${erasedUserDigest('erased-recent')}`.execute(db);

    const pruning = startRetentionPruning({ db, log, clock: () => now, retentionDays: 180, batchSize: 2 });
    try {
      expect((await pruning.prune()).nudgeSlots).toBe(1);
      const second = await pruning.prune();
      expect(second).toEqual({ decisions: 0, tombstones: 0, nudgeSlots: 0 });
      expect(await db.selectFrom('nudge_slots').select('slot').execute()).toEqual([{ slot: '2026-01-02T09' }]);
    } finally {
      await pruning.stop();
    }
    // Erased-user records are the kit's to prune, in every service alike.
    const erased = startErasedUserPruning(db, log, () => now, 180);
    await erased.prune();
    await erased.stop();

    expect(await ids('decisions')).toEqual(recent.map((d) => d.decision_id));
    expect(await ids('tip_feedback')).toEqual([recent[0]?.decision_id]);
    expect((await db.selectFrom('tasks').select('task_id').orderBy('task_id').execute()).map((t) => t.task_id)).toEqual(['gone-recent', 'live-old']);
    const { rows } = await sql<{ user_key: string }>`select user_key from event_erased_user`.execute(db);
    expect(rows).toEqual([{ user_key: erasedUserDigest('erased-recent') }]);
  });

  it('stops at maxBatches per round and finishes on the next', async () => {
    await db.insertInto('decisions').values(Array.from({ length: 5 }, (_, i) => decision(200 + i, daysAgo(300)))).execute();
    const pruning = startRetentionPruning({ db, log, clock: () => now, retentionDays: 180, batchSize: 1, maxBatches: 2, intervalMs: 3_600_000 });
    try {
      const rounds = [await pruning.prune(), await pruning.prune(), await pruning.prune()];
      expect(rounds.map((r) => r.decisions)).toEqual([2, 2, 1]);
    } finally {
      await pruning.stop();
    }
  });
});
