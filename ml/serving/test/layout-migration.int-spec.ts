import {
  alignVector,
  createFeatureBuilder,
  createLayout,
  createModel,
  createRng,
  predict,
  toSnapshot,
  updateModel,
  type BanditModel,
  type FeatureBuilder,
  type FeatureLayout,
} from '@oo/bandit';
import { CANDIDATE_FEATURES, CONTEXT_FEATURES, createDecisionFeaturizer, DECISION_INTERACTIONS } from '@oo/decision-features';
import { encodeSnapshot } from '@oo/model-state';
import { CANDIDATES, CONTEXT, feedback, Reaction, scoreRequest, served } from './support/decisions';
import { eventually } from '@oo/testing';
import { startMlHarness, type MlHarness, type MlInstance } from './support/ml-serving-harness';

// The layout of an earlier release: no `due_soon` (nor its interactions), and a feature since removed.
function previousLayoutBuilder(): FeatureBuilder {
  const candidate = [...CANDIDATE_FEATURES.filter((name) => name !== 'due_soon'), 'legacy_flag'];
  const interactions = DECISION_INTERACTIONS.filter(([c]) => candidate.includes(c));
  return createFeatureBuilder({ candidate, context: CONTEXT_FEATURES, interactions: [...interactions, ['legacy_flag', 'tod_morning']] });
}

/** The old model, and a reference trained on the same observations seeing only the dimensions both layouts share. */
function trainedModels(builder: FeatureBuilder, shared: FeatureLayout, observations: number): { old: BanditModel; reference: BanditModel } {
  const old = createModel(builder.layout);
  const reference = createModel(shared);
  const rng = createRng('previous-layout');
  for (let t = 0; t < observations; t++) {
    const raw = builder.spec.candidate.map(() => (rng.float() < 0.3 ? 1 : 0));
    const context = builder.spec.context.map(() => (rng.float() < 0.25 ? 1 : 0));
    const [x] = builder.build([raw], context);
    if (x === undefined) throw new Error('no vector');
    const observation = { userId: t % 2 === 0 ? 'u-old' : 'u-other', reward: raw[1] === 1 ? 1 : 0.25 * rng.float() };
    updateModel(old, { ...observation, features: x });
    updateModel(reference, { ...observation, features: alignVector(builder.layout, shared, x) });
  }
  return { old, reference };
}

// A model trained under an older feature layout is moved onto the current one at start, keeping
// what it learned on the dimensions both layouts share.
describe('model layout migration on start', () => {
  const previous = previousLayoutBuilder();
  const featurizer = createDecisionFeaturizer();
  const shared = createLayout(featurizer.builder.layout.names.filter((name) => previous.layout.names.includes(name)));
  const { old, reference } = trainedModels(previous, shared, 60);
  let h: MlHarness;

  const score = async (instance: MlInstance, userId: string) => {
    const res = await fetch(`${instance.baseUrl}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token('service')}` },
      body: JSON.stringify(scoreRequest(userId, 'migration', ['epsilon-greedy'])),
    });
    return (await res.json()) as { results: { scores: number[]; modelVersion: string }[] };
  };

  beforeAll(async () => {
    h = await startMlHarness({
      label: 'ml-layout-migration',
      beforeStart: async (db) => {
        // As an older release would have left it: its layout, a checkpoint at seq 60, the log pruned up to it.
        await db.insertInto('feature_layouts').values({ version: previous.layout.version, names: JSON.stringify(previous.layout.names) }).execute();
        await db.insertInto('model_snapshots').values({ layout_version: previous.layout.version, version: 60, snapshot: encodeSnapshot(toSnapshot(old)), users: 2, created_at: new Date() }).execute();
        await db.updateTable('observation_counter').set({ seq: 60 }).execute();
      },
    });
  });
  afterAll(() => h.stop());

  it('serves the migrated model at the snapshot version, under the current layout, and checkpoints it', async () => {
    const current = featurizer.builder.layout.version;
    expect(current).not.toBe(previous.layout.version);
    const result = (await score(h, 'u-old')).results[0];
    expect(result?.modelVersion).toBe(`${current}/60`);
    const snapshots = await h.db.selectFrom('model_snapshots').select(['layout_version', 'version']).where('layout_version', '=', current).execute();
    expect(snapshots.map((s) => Number(s.version))).toEqual([60]);
  });

  it('keeps what was learned on shared dimensions: predictions equal a model trained on those dimensions alone', async () => {
    // None of the candidates is due within a day, so the new `due_soon` dimensions are all 0.
    const xs = featurizer.vectors(CANDIDATE_FEATURES, CANDIDATES.map((c) => c.features), CONTEXT);
    expect(xs.every((x) => featurizer.builder.layout.names.every((name, i) => !name.includes('due_soon') || x[i] === 0))).toBe(true);
    for (const userId of ['u-old', 'u-other', 'someone-new']) {
      const expected = predict(reference, userId, xs.map((x) => alignVector(featurizer.builder.layout, shared, x))).means;
      const scores = (await score(h, userId)).results[0]?.scores ?? [];
      expect(scores).toHaveLength(3);
      scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i] as number, 9));
    }
    expect(Math.max(...((await score(h, 'u-old')).results[0]?.scores ?? []).map(Math.abs))).toBeGreaterThan(0.01);
  });

  it('starts the next instance from the migrated checkpoint, and goes on learning from there', async () => {
    const next = await h.startInstance();
    const metrics = await (await fetch(`${next.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ml_model_reloads_total\{[^}]*reason="start:snapshot"[^}]*\} 1$/m);
    expect(await score(next, 'u-old')).toEqual(await score(h, 'u-old'));

    await h.publish('signals.tip.served', served('m1', 'u-old', 0), 'u-old');
    await h.publish('signals.tip.feedback', feedback('m1', 'u-old', Reaction.DONE), 'u-old');
    const version = `${featurizer.builder.layout.version}/61`;
    for (const instance of [h, next]) {
      await eventually(async () => ((await score(instance, 'u-old')).results[0]?.modelVersion === version ? true : undefined), 'observation 61 learned');
    }
    expect(await score(next, 'u-old')).toEqual(await score(h, 'u-old'));
  });
});
