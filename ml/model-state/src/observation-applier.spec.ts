import { createFeatureBuilder, createModel, predict, updateModel } from '@oo/bandit';
import type { ObservationRow } from './observation-row';
import { forgetKey } from './forget-key';
import { ObservationApplier } from './observation-applier';
import { encodeVector } from './vector-codec';

const current = createFeatureBuilder({ candidate: ['a', 'b'], context: ['x'] });
const older = createFeatureBuilder({ candidate: ['a'], context: ['x'] });
const layouts = new Map([[older.layout.version, older.layout.names]]);

function row(seq: number, fields: Partial<ObservationRow> = {}): ObservationRow {
  const [x] = current.build([[1, 0]], [1]);
  return {
    seq: String(seq),
    kind: 'reward',
    decision_id: `d${seq}`,
    user_id: 'u1',
    layout_version: current.layout.version,
    features: encodeVector(x ?? []),
    reward: 1,
    outcome: 'done',
    ...fields,
  };
}

describe('observation applier', () => {
  const applier = () => new ObservationApplier(async (version) => layouts.get(version));

  it('applies the log in seq order, so the model version is the last seq, and skips what it already holds', async () => {
    const model = createModel(current.layout);
    const seen: string[] = [];
    await applier().apply(model, [row(1), row(2)], (r) => seen.push(r.seq));
    await applier().apply(model, [row(2), row(3)], (r) => seen.push(r.seq));
    expect(model.version).toBe(3);
    expect(seen).toEqual(['1', '2', '3']);
    expect(model.global.count).toBe(3);
  });

  it('refuses to jump over a missing seq, so the caller reloads', async () => {
    const model = createModel(current.layout);
    await expect(applier().apply(model, [row(1), row(3)])).rejects.toMatchObject({ code: 'MODEL_STATE_GAP' });
    expect(model.version).toBe(1);
  });

  it('re-expresses a vector settled under another layout by name, new dimensions at 0', async () => {
    const [x] = older.build([[1]], [1]);
    const model = createModel(current.layout);
    await applier().apply(model, [row(1, { layout_version: older.layout.version, features: encodeVector(x ?? []) })]);
    const expected = createModel(current.layout);
    const [aligned] = current.build([[1, 0]], [1]);
    updateModel(expected, { userId: 'u1', features: aligned ?? [], reward: 1 });
    const probe = current.build([[1, 1], [0, 1]], [1]);
    expect(Array.from(predict(model, 'u1', probe).means)).toEqual(Array.from(predict(expected, 'u1', probe).means));
    await expect(applier().apply(createModel(current.layout), [row(1, { layout_version: 'fl-unknown' })])).rejects.toMatchObject({ code: 'UNKNOWN_LAYOUT' });
  });

  it('forgets a user at the seq of the erasure, and skips an observation the model cannot learn the same way everywhere', async () => {
    const model = createModel(current.layout);
    const invalid: string[] = [];
    const skipping = new ObservationApplier(async () => undefined, (r) => invalid.push(r.seq));
    await skipping.apply(model, [row(1), row(2, { reward: Number.NaN }), row(3, { kind: 'forget', features: null, reward: null })]);
    expect(invalid).toEqual(['2']);
    expect(model.version).toBe(3);
    expect(model.users.has('u1')).toBe(false);
    expect(model.global.count).toBe(1);
  });

  it('forgets a user named by digest (the log must not name an erased user), and still by id in older entries', async () => {
    const model = createModel(current.layout);
    const applier = new ObservationApplier(async () => undefined);
    await applier.apply(model, [row(1), row(2, { user_id: 'u2' }), row(3, { kind: 'forget', user_id: forgetKey('u1'), features: null, reward: null })]);
    expect([model.users.has('u1'), model.users.has('u2')]).toEqual([false, true]);
    expect(forgetKey('u1')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(forgetKey('u1')).not.toContain('u1');
    await applier.apply(model, [row(4, { kind: 'forget', user_id: 'u2', features: null, reward: null })]);
    expect(model.users.has('u2')).toBe(false);
    expect(model.version).toBe(4);
  });
});
