import { Registry } from 'prom-client';
import { createModel, updateModel, type BanditModel } from '@oo/bandit';
import { createDb, inTransaction, migrateToLatest, sql, type Kysely } from '@oo/db';
import { createDecisionFeaturizer, scoreRequestSchema } from '@oo/decision-features';
import { createLogger } from '@oo/logger';
import { createTestSchema, eventually, type TestSchema } from '@oo/testing';
import type { MlDatabase } from '../src/db/database';
import { mlServingMigrations } from '../src/db/migrations';
import { LiveModel } from '../src/features/model-state/live-model';
import { appendObservations, registerLayout } from '../src/features/model-state/model-state.repository';
import { encodeVector } from '@oo/model-state';
import { createPolicyCatalog } from '../src/features/scoring/policy-catalog';
import { createScorer } from '../src/features/scoring/scoring.service';
import { createMlMetrics } from '../src/metrics';
import { scoreRequest } from './support/decisions';

const USERS = ['u0', 'u1', 'u2', 'u3', 'u4'];
const FRESH = { lambda: 1, userLambda: 8 };

// With MODEL_MAX_USERS_IN_MEMORY = 2 and five users, ml-serving drops the least recently used
// users' parts from memory and rebuilds them from Postgres (per-user checkpoint rows + the
// observation log) when they are scored again: the scores are exactly those of a model that never
// dropped anyone, here computed in memory from the same observations.
describe('per-user model parts bounded in memory', () => {
  let target: TestSchema;
  let db: Kysely<MlDatabase>;
  const featurizer = createDecisionFeaturizer();
  const layout = featurizer.builder.layout;
  const expected: BanditModel = createModel(layout, FRESH);
  const started: LiveModel[] = [];
  let seq = 0;

  const request = (userId: string) => scoreRequestSchema.parse(scoreRequest(userId, 'probe-decision', ['linucb', 'thompson', 'epsilon-greedy']));
  const xs = featurizer.vectors(request('u0').candidateFeatures, request('u0').candidates.map((c) => c.features), request('u0').context);

  const startModel = async (maxUsersInMemory?: number): Promise<LiveModel> => {
    const live = new LiveModel({
      db,
      layout,
      log: createLogger({ service: 'ml-serving', level: 'silent' }),
      metrics: createMlMetrics(new Registry()),
      clock: () => new Date(),
      databaseUrl: target.url,
      schema: target.schema,
      freshConfig: FRESH,
      pollIntervalMs: 50,
      checkpointEvery: 4,
      snapshotRetention: 3,
      ...(maxUsersInMemory === undefined ? {} : { maxUsersInMemory }),
    });
    started.push(live);
    live.start();
    await live.loaded;
    return live;
  };
  const scorerOf = (live: LiveModel) =>
    createScorer({ featurizer, catalog: createPolicyCatalog(), currentModel: () => live.current(), withUser: (userId, use) => live.withUser(userId, use) });
  const reference = createScorer({ featurizer, catalog: createPolicyCatalog(), currentModel: () => expected });

  // Appends observations to the shared log, and learns the same ones in the in-memory reference.
  const learn = async (plan: readonly [user: string, chosen: number, reward: number][]) => {
    await inTransaction(db, (trx) =>
      appendObservations(
        trx,
        plan.map(([user, chosen, reward]) => ({
          kind: 'reward' as const,
          decision_id: `d${++seq}`,
          user_id: user,
          layout_version: layout.version,
          features: encodeVector(xs[chosen] as Float64Array),
          reward,
          outcome: reward === 1 ? ('done' as const) : ('dismiss' as const),
        })),
        new Date(),
      ),
    );
    for (const [user, chosen, reward] of plan) updateModel(expected, { userId: user, features: xs[chosen] as Float64Array, reward });
  };
  const reaches = (live: LiveModel, version: number) => eventually(async () => (live.status()?.observations === version ? true : undefined), `model at ${version}`);
  const newestRowsSnapshot = async (): Promise<number> => {
    const { rows } = await sql<{ v: string | null }>`select max(version) as v from model_snapshots where user_rows`.execute(db);
    return Number(rows[0]?.v ?? 0);
  };

  beforeAll(async () => {
    target = await createTestSchema('ml-users-in-memory');
    db = createDb<MlDatabase>({ url: target.url, schema: target.schema });
    await migrateToLatest(db, { schema: target.schema, migrations: mlServingMigrations });
    await registerLayout(db, layout);
  });
  afterAll(async () => {
    for (const live of started) await live.stop();
    await db.destroy();
    await target.drop();
  });

  it('keeps at most two users in memory and scores an evicted user exactly as before its eviction', async () => {
    const live = await startModel(2);
    const scorer = scorerOf(live);
    // Three rounds over five users, each user with its own taste; checkpoints every 4 observations.
    await learn(USERS.flatMap((user, u) => [0, 1, 2].map((round): [string, number, number] => [user, (u + round) % 3, (u + round) % 2])));
    await reaches(live, 15);
    await eventually(async () => ((await newestRowsSnapshot()) === 15 ? true : undefined), 'the checkpoint at 15');
    await learn([['u0', 2, 1]]); // after the last checkpoint: u0 must be rebuilt from the log too
    await reaches(live, 16);
    expect(await newestRowsSnapshot()).toBeLessThan(16);
    expect(live.current()?.users.size).toBeLessThanOrEqual(2);

    const before = await scorer.scoreForUser(request('u0'));
    expect(before).toEqual(reference.score(request('u0')));
    // Scoring two other users pushes u0 out of memory; its next score rebuilds it.
    await scorer.scoreForUser(request('u3'));
    await scorer.scoreForUser(request('u1'));
    expect(live.current()?.users.has('u0')).toBe(false);
    expect(await scorer.scoreForUser(request('u0'))).toEqual(before);

    for (const user of [...USERS, 'never-seen']) expect(await scorer.scoreForUser(request(user))).toEqual(reference.score(request(user)));
    expect(live.current()?.users.size).toBeLessThanOrEqual(2);
  });

  it('checkpoints users it no longer holds, so another instance starts from the same state', async () => {
    const live = started[0] as LiveModel;
    // Users out of memory learn; the next checkpoint must carry them and the untouched ones over.
    const checkpointed = await newestRowsSnapshot();
    await learn([['u2', 0, 1], ['u4', 1, 0], ['u2', 2, 1], ['u0', 1, 1]]);
    await reaches(live, 20);
    await eventually(async () => ((await newestRowsSnapshot()) > checkpointed ? true : undefined), 'a new checkpoint');

    const restarted = await startModel(2);
    const unbounded = await startModel();
    await reaches(restarted, 20);
    await reaches(unbounded, 20);
    expect(unbounded.current()?.users.size).toBe(USERS.length);
    for (const user of USERS) {
      const want = reference.score(request(user));
      expect(await scorerOf(restarted).scoreForUser(request(user))).toEqual(want);
      expect(await scorerOf(unbounded).scoreForUser(request(user))).toEqual(want);
      expect(await scorerOf(live).scoreForUser(request(user))).toEqual(want);
    }
    expect(restarted.current()?.users.size).toBeLessThanOrEqual(2);
  });
});
