import { createLayout } from '../features/feature-layout';
import { createRng } from '../random/seeded-rng';
import { createModel, updateModel } from './bandit-model';
import { predict } from './model-prediction';
import { fromSnapshot, toSnapshot, type ModelSnapshot } from './model-snapshot';
import { at, must } from '../../test/strict-access.helper';

const layout = createLayout(['bias', 'cand.a', 'ctx.b', 'cand.a*ctx.b']);

function trainedModel() {
  const model = createModel(layout, { userLambda: 3 });
  const rng = createRng('snapshot');
  for (let t = 0; t < 200; t++) {
    const a = rng.normal();
    const b = rng.float();
    updateModel(model, { userId: `u${t % 4}`, features: [1, a, b, a * b], reward: a > 0 ? 1 : 0 });
  }
  return model;
}

describe('model snapshots', () => {
  it('round-trips through JSON with identical predictions, version and layout', () => {
    const model = trainedModel();
    const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(model))) as ModelSnapshot);
    expect(restored.version).toBe(model.version);
    expect(restored.layout.version).toBe(layout.version);
    const probes = [[1, 0.5, 0.2, 0.1], [1, -1, 1, -1]];
    const a = predict(model, 'u2', probes);
    const b = predict(restored, 'u2', probes);
    expect(Array.from(b.means)).toEqual(Array.from(a.means));
    expect(Array.from(b.covariance())).toEqual(Array.from(a.covariance()));
  });

  it('recomputes inverses when a snapshot leaves them out', () => {
    const model = trainedModel();
    const lean = toSnapshot(model, { withInverse: false });
    expect(lean.global.aInv).toBeUndefined();
    const restored = fromSnapshot(lean);
    const probes = [[1, 0.5, 0.2, 0.1]];
    expect(predict(restored, 'u1', probes).means[0]).toBeCloseTo(at(predict(model, 'u1', probes).means, 0), 10);
    expect(predict(restored, 'u1', probes).widths()[0]).toBeCloseTo(at(predict(model, 'u1', probes).widths(), 0), 10);
  });

  it('rejects inconsistent snapshots', () => {
    const good = toSnapshot(trainedModel());
    const broken: ModelSnapshot[] = [
      { ...good, layout: { ...good.layout, version: 'fl-0000000000000000' } },
      { ...good, global: { ...good.global, b: [1, 2] } },
      { ...good, global: { ...good.global, a: good.global.a.map(() => Number.NaN) } },
      { ...good, users: { u0: { ...must(good.users['u0']), cross: [] } } },
      { ...good, version: -1 },
    ];
    for (const snapshot of broken) expect(() => fromSnapshot(snapshot)).toThrow(expect.objectContaining({ code: 'BANDIT_INVALID_STATE' }));
  });
});
