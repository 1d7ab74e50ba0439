import { createLayout, createModel, toSnapshot, updateModel, type BanditModel, type PolicySpec } from '@oo/bandit';
import { adviceFeatures, CANDIDATE_FEATURES, createDecisionFeaturizer, type ParsedScoreRequest } from '@oo/decision-features';
import { createLogger } from '@oo/logger';
import { encodeVector, scoreDecision, type ObservationPage, type ObservationRow, type ReplicaDocument } from '@oo/model-state';
import { ModelReplica } from './model-replica';
import type { ReplicaSource, SourceAnswer } from './replica-source';

const featurizer = createDecisionFeaturizer();
const layout = featurizer.builder.layout;
// The catalog ml-serving hands the replica with the model.
const POLICIES: Record<string, PolicySpec> = {
  linucb: { kind: 'linucb', alpha: 0.3, epsilon: 0.05 },
  thompson: { kind: 'thompson', samples: 256, epsilon: 0.05 },
};
const catalog = new Map(Object.entries(POLICIES));

function request(userId: string, policies = ['linucb', 'thompson']): ParsedScoreRequest {
  return {
    userId,
    decisionId: `d-${userId}`,
    candidateFeatures: [...CANDIDATE_FEATURES],
    candidates: [
      { id: 'advice:break', features: adviceFeatures('break') },
      { id: 'advice:plan', features: adviceFeatures('plan') },
    ],
    context: { features: [], timezone: 'UTC', localHour: 9, localWeekday: 1 },
    policies,
  };
}

function reward(seq: number, userId: string, value: number): ObservationRow {
  const x = new Float64Array(layout.names.length).fill(0.1);
  return { seq: String(seq), kind: 'reward', user_id: userId, layout_version: layout.version, features: encodeVector(x), reward: value, outcome: 'done' };
}

const ok = <T>(value: T): SourceAnswer<T> => ({ ok: true, value });

/** ml-serving's replica routes, answering from a queue the test fills. */
class ScriptedSource implements ReplicaSource {
  loads = 0;
  documents: ReplicaDocument[] = [];
  pages: SourceAnswer<ObservationPage>[] = [];
  private waiting: (() => void)[] = [];

  async replica(): Promise<SourceAnswer<ReplicaDocument>> {
    this.loads += 1;
    const next = this.documents.shift();
    return next ? ok(next) : { ok: false, behind: false, error: new Error('no document') };
  }

  async observationsAfter(): Promise<SourceAnswer<ObservationPage>> {
    while (this.pages.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.pages.shift() as SourceAnswer<ObservationPage>;
  }

  push(page: SourceAnswer<ObservationPage>): void {
    this.pages.push(page);
    for (const wake of this.waiting.splice(0)) wake();
  }

  close(): void {
    this.push(ok({ rows: [], layouts: {} }));
  }
}

const documentOf = (model: BanditModel, complete = true): ReplicaDocument => ({ model: toSnapshot(model), complete, policies: POLICIES });
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('model replica', () => {
  let clock = 0;
  let source: ScriptedSource;
  let replica: ModelReplica;
  const start = (maxUsers = 10) => {
    replica = new ModelReplica({ source, featurizer, log: createLogger({ service: 'test', level: 'silent' }), maxUsers, waitMs: 1_000, maxLagMs: 30_000, now: () => clock });
    replica.start();
  };

  beforeEach(() => {
    clock = 0;
    source = new ScriptedSource();
  });
  afterEach(() => replica.stop());

  it('answers only once loaded, and then exactly as ml-serving would on the same model and log', async () => {
    const reference = createModel(layout);
    source.documents.push(documentOf(reference));
    start();
    await until(() => replica.version() === 0);
    source.push(ok({ rows: [reward(1, 'u1', 1), reward(2, 'u2', 0)], layouts: {} }));
    await until(() => replica.version() === 2);

    for (const row of [reward(1, 'u1', 1), reward(2, 'u2', 0)]) {
      updateModel(reference, { userId: row.user_id as string, features: new Float64Array(layout.names.length).fill(0.1), reward: row.reward as number });
    }
    reference.version = 2;
    expect(replica.score(request('u1'))).toEqual(scoreDecision(reference, featurizer, catalog, request('u1')));
  });

  it('leaves a user it dropped (or never held, once incomplete) to ml-serving, and a new user to the prior while complete', async () => {
    source.documents.push(documentOf(createModel(layout)));
    start(1);
    await until(() => replica.version() === 0);
    expect(replica.score(request('never-seen'))).toBeDefined();
    source.push(ok({ rows: [reward(1, 'u1', 1), reward(2, 'u2', 1)], layouts: {} }));
    await until(() => replica.version() === 2);
    // u1 was dropped to hold one user: from now on an unknown user may be a dropped one.
    expect(replica.score(request('u1'))).toBeUndefined();
    expect(replica.score(request('never-seen'))).toBeUndefined();
    expect(replica.score(request('u2'))).toBeDefined();
  });

  it('declines when out of touch, on another layout, or for a policy it does not know', async () => {
    source.documents.push(documentOf(createModel(layout)));
    start();
    await until(() => replica.version() === 0);
    expect(replica.score(request('u1', ['linucb', 'no-such-policy']))).toBeUndefined();
    clock = 30_001;
    expect(replica.score(request('u1'))).toBeUndefined();
    source.push(ok({ rows: [], layouts: {} }));
    await until(() => replica.score(request('u1')) !== undefined);

    await replica.stop();
    source = new ScriptedSource();
    // A rolling deploy: ml-serving already serves a layout this recommender cannot featurize for.
    source.documents.push(documentOf(createModel(createLayout([...layout.names, 'new_feature']))));
    start();
    await until(() => replica.version() === 0);
    expect(replica.score(request('u1'))).toBeUndefined();
  });

  it('loads again when ml-serving says it is behind (410) or the log skips a position', async () => {
    const model = createModel(layout);
    source.documents.push(documentOf(model), documentOf({ ...model, version: 5 }), documentOf({ ...model, version: 9 }));
    start();
    await until(() => replica.version() === 0);
    source.push({ ok: false, behind: true, error: new Error('410') });
    await until(() => replica.version() === 5);
    source.push(ok({ rows: [reward(7, 'u1', 1)], layouts: {} }));
    await until(() => replica.version() === 9);
    expect(source.loads).toBe(3);
  });
});
