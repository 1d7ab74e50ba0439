import { createFeatureBuilder } from '../features/feature-builder';
import { createRng } from '../random/seeded-rng';
import { createModel, updateModel, type BanditModel } from './bandit-model';
import { alignVector, migrateModel } from './model-migration';
import { predict } from './model-prediction';
import { at } from '../../test/strict-access.helper';

const full = createFeatureBuilder({ candidate: ['overdue', 'priority', 'age'], context: ['morning'] });
const rng = createRng('migration');
const rows = Array.from({ length: 400 }, () => {
  const cand = [rng.float() < 0.3 ? 1 : 0, rng.int(4) / 3, rng.float()];
  const ctx = [rng.float() < 0.5 ? 1 : 0];
  return { cand, ctx, user: `u${rng.int(5)}`, reward: rng.float() < 0.2 + 0.5 * (cand[1] ?? 0) ? 1 : 0 };
});

function train(builder: typeof full, pick: (cand: number[]) => number[], config = {}): BanditModel {
  const model = createModel(builder.layout, config);
  for (const r of rows) updateModel(model, { userId: r.user, features: at(builder.build([pick(r.cand)], r.ctx), 0), reward: r.reward });
  return model;
}

const probes = [
  { cand: [1, 1, 0.2], ctx: [1] },
  { cand: [0, 1 / 3, 0.9], ctx: [0] },
  { cand: [1, 0, 0.5], ctx: [0] },
];

describe('layout migration', () => {
  it('keeps every prediction exactly when features are only added (new ones at 0)', () => {
    const model = train(full, (c) => c);
    const wider = createFeatureBuilder({ candidate: ['overdue', 'priority', 'age', 'due_soon'], context: ['morning', 'weekend'] });
    const { model: migrated, report } = migrateModel(model, wider.layout);
    expect(report.added).toEqual(['cand.due_soon', 'ctx.weekend', 'cand.overdue*ctx.weekend', 'cand.priority*ctx.weekend', 'cand.age*ctx.weekend', 'cand.due_soon*ctx.morning', 'cand.due_soon*ctx.weekend']);
    expect(report.removed).toEqual([]);
    expect(migrated.version).toBe(model.version + 1);
    const oldXs = probes.map((p) => at(full.build([p.cand], p.ctx), 0));
    const newXs = probes.map((p) => at(wider.build([[...p.cand, 0]], [...p.ctx, 0]), 0));
    for (const user of ['u1', 'nobody']) {
      const before = predict(model, user, oldXs);
      const after = predict(migrated, user, newXs);
      after.means.forEach((m, i) => expect(m).toBeCloseTo(at(before.means, i), 10));
      after.widths().forEach((w, i) => expect(w).toBeCloseTo(at(before.widths(), i), 10));
    }
  });

  it('starts new dimensions from the prior: uncertain where the feature is on, no shift in the mean', () => {
    const model = train(full, (c) => c);
    const wider = createFeatureBuilder({ candidate: ['overdue', 'priority', 'age', 'due_soon'], context: ['morning'] });
    const { model: migrated } = migrateModel(model, wider.layout);
    const off = wider.build([[1, 1, 0.2, 0]], [1]);
    const on = wider.build([[1, 1, 0.2, 1]], [1]);
    expect(predict(migrated, 'u1', on).means[0]).toBeCloseTo(at(predict(migrated, 'u1', off).means, 0), 12);
    expect(at(predict(migrated, 'u1', on).widths(), 0)).toBeGreaterThan(at(predict(migrated, 'u1', off).widths(), 0) + 0.5);
  });

  it('after dropping a feature equals a model trained without it from the start', () => {
    const model = train(full, (c) => c);
    const narrow = createFeatureBuilder({ candidate: ['overdue', 'priority'], context: ['morning'] });
    const { model: migrated, report } = migrateModel(model, narrow.layout);
    expect(report.removed).toEqual(['cand.age', 'cand.age*ctx.morning']);
    const scratch = train(narrow, (c) => c.slice(0, 2));
    const xs = probes.map((p) => at(narrow.build([p.cand.slice(0, 2)], p.ctx), 0));
    const a = predict(migrated, 'u3', xs);
    const b = predict(scratch, 'u3', xs);
    a.means.forEach((m, i) => expect(m).toBeCloseTo(at(b.means, i), 9));
    a.covariance().forEach((c, i) => expect(c).toBeCloseTo(at(b.covariance(), i), 9));
  });

  it('follows names through a reorder', () => {
    const model = train(full, (c) => c);
    const reordered = createFeatureBuilder({ candidate: ['age', 'overdue', 'priority'], context: ['morning'] });
    const { model: migrated } = migrateModel(model, reordered.layout);
    const oldXs = probes.map((p) => at(full.build([p.cand], p.ctx), 0));
    const newXs = oldXs.map((x) => alignVector(full.layout, reordered.layout, x));
    const before = predict(model, 'u0', oldXs);
    const after = predict(migrated, 'u0', newXs);
    after.means.forEach((m, i) => expect(m).toBeCloseTo(at(before.means, i), 9));
    after.widths().forEach((w, i) => expect(w).toBeCloseTo(at(before.widths(), i), 9));
  });

  it('never changes the model it migrates from', () => {
    const model = train(full, (c) => c);
    const a = Array.from(model.global.a);
    const narrow = createFeatureBuilder({ candidate: ['overdue'], context: [] });
    const { model: migrated } = migrateModel(model, narrow.layout);
    updateModel(migrated, { userId: 'u0', features: at(narrow.build([[1]], []), 0), reward: 1 });
    expect(Array.from(model.global.a)).toEqual(a);
    expect(model.layout).toBe(full.layout);
  });
});
