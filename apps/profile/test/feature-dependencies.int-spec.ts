import { isSubject } from '@oo/contracts';
import { createDb, migrateToLatest, sql, type Kysely } from '@oo/db';
import { createTestSchema, type TestSchema } from '@oo/testing';
import type { ProfileDatabase } from '../src/db/database';
import { profileMigrations } from '../src/db/migrations';
import type { AnyFeatureDefinition } from '../src/features/registry/feature-definition';
import { dependenciesOf } from '../src/features/registry/feature-registry';
import { completionRate, favouriteTipKind, initialFeatures } from '../src/features/registry/initial-features';
import { TABLE_SOURCES } from '../src/features/tip-projection/table-sources';
import { RAW_QUERY, recordTableReads } from './support/table-read-recorder';

const NOW = new Date('2026-11-20T12:00:00Z');
const USER = 'dev';

// Every input a feature's compute reads must reach it through a subject it declares; otherwise an
// event changes its value and the cached row stays wrong until the TTL.
describe('feature dependencies', () => {
  let target: TestSchema;
  let db: Kysely<ProfileDatabase>;

  const undeclaredInputs = async (feature: AnyFeatureDefinition): Promise<string[]> => {
    const { db: recording, tables } = recordTableReads(db);
    await feature.compute(USER, recording, NOW);
    const declared = dependenciesOf(feature);
    const problems: string[] = [];
    for (const table of [...tables].sort()) {
      const sources = TABLE_SOURCES[table as keyof ProfileDatabase] ?? [];
      if (sources.length === 0) problems.push(`${feature.name} reads ${table}, which no subject keeps current`);
      for (const subject of sources.filter((s) => !declared.includes(s))) {
        problems.push(`${feature.name} reads ${table}, fed by ${subject}, which it does not declare`);
      }
    }
    return problems;
  };

  beforeAll(async () => {
    target = await createTestSchema('profile_feature_deps');
    db = createDb<ProfileDatabase>({ url: target.url, schema: target.schema });
    await migrateToLatest(db, { schema: target.schema, migrations: profileMigrations });
    // Data on every path, so a feature that reads more once it finds rows shows that too.
    await db.insertInto('profiles').values({ user_id: USER, timezone: 'Europe/Paris' }).execute();
    await db.insertInto('tip_served').values({ decision_id: 'd1', user_id: USER, tip_id: 't1', tip_kind: 'task', served_at: new Date('2026-11-20T10:00:00Z') }).execute();
    await db
      .insertInto('tip_feedback')
      .values({ decision_id: 'd1', user_id: USER, tip_id: 't1', reaction: 'done', reacted_at: new Date('2026-11-20T10:05:00Z'), dwell_ms: 300_000 })
      .execute();
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  it.each(initialFeatures.map((f) => [f.name, f] as const))('%s declares a subject for every table its compute reads', async (_name, feature) => {
    expect(await undeclaredInputs(feature)).toEqual([]);
  });

  it('catches the dependencies the rates and the favourite kind lacked before issue 10', async () => {
    const rateBefore = { ...completionRate, maintainedBy: ['signals.tip.feedback'] };
    expect(await undeclaredInputs(rateBefore)).toEqual(['completion_rate_30d reads tip_served, fed by signals.tip.served, which it does not declare']);
    const kindBefore = { ...favouriteTipKind, maintainedBy: undefined, onTipChange: undefined };
    expect(await undeclaredInputs(kindBefore)).toEqual(['favourite_tip_kind_30d reads tip_served, fed by signals.tip.served, which it does not declare']);
  });

  it('flags a feature that reads the feature cache, or raw SQL whose tables it cannot see', async () => {
    const readsCache: AnyFeatureDefinition = {
      ...completionRate,
      name: 'reads_cache',
      counted: undefined,
      compute: async (userId, executor) => ((await executor.selectFrom('user_profile_features').select('value').where('user_id', '=', userId).executeTakeFirst())?.value ?? null),
    };
    expect(await undeclaredInputs(readsCache)).toEqual(['reads_cache reads user_profile_features, which no subject keeps current']);
    const readsRaw: AnyFeatureDefinition = {
      ...completionRate,
      name: 'reads_raw',
      counted: undefined,
      compute: async (_userId, executor) => (await sql<{ n: number }>`select count(*)::int as n from tip_served`.execute(executor)).rows[0]?.n ?? null,
    };
    expect(await undeclaredInputs(readsRaw)).toEqual([`reads_raw reads ${RAW_QUERY}, which no subject keeps current`]);
  });

  it('names only subjects that exist', () => {
    const known = (s: string) => isSubject(s) || s.startsWith('profile.');
    expect(Object.values(TABLE_SOURCES).flat().filter((s) => !known(s))).toEqual([]);
  });
});
