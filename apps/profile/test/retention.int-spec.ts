import { createDb, migrateToLatest, sql, type Kysely } from '@oo/db';
import { markUserErased, type EventsDatabase } from '@oo/events';
import { createLogger } from '@oo/logger';
import { createTestSchema, type TestSchema } from '@oo/testing';
import type { ProfileDatabase } from '../src/db/database';
import { profileMigrations } from '../src/db/migrations';
import { startRetentionPruning } from '../src/features/retention/retention-pruning';

// Erased-user records are kept only while a late event about the user could still arrive.
describe('profile retention', () => {
  let target: TestSchema;
  let db: Kysely<ProfileDatabase>;
  const now = new Date('2027-06-01T12:00:00Z');

  beforeAll(async () => {
    target = await createTestSchema('profile-retention');
    db = createDb<ProfileDatabase>({ url: target.url, schema: target.schema });
    await migrateToLatest(db, { schema: target.schema, migrations: profileMigrations });
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  it('forgets erased-user records older than the retention and keeps younger ones', async () => {
    const events = db as unknown as Kysely<EventsDatabase>;
    for (const user of ['erased-old', 'erased-recent']) await markUserErased(events, user);
    await sql`update event_erased_user set erased_at = ${new Date(now.getTime() - 181 * 86_400_000)} where user_key = 'erased-old'`.execute(db);
    await sql`update event_erased_user set erased_at = ${new Date(now.getTime() - 179 * 86_400_000)} where user_key = 'erased-recent'`.execute(db);

    const pruning = startRetentionPruning({ db, log: createLogger({ service: 'profile', level: 'silent' }), clock: () => now, erasedUserRetentionDays: 180 });
    try {
      await pruning.prune();
    } finally {
      await pruning.stop();
    }
    const { rows } = await sql<{ user_key: string }>`select user_key from event_erased_user`.execute(db);
    expect(rows).toEqual([{ user_key: 'erased-recent' }]);
  });
});
