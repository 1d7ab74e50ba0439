import { createFeatureBuilder, createModel, createRng, fromSnapshot, predict, toSnapshot, updateModel } from '@oo/bandit';
import { ModelStateError } from './model-state-error';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec';
import { decodeVector, encodeVector } from './vector-codec';

function trained() {
  const builder = createFeatureBuilder({ candidate: ['a', 'b', 'c'], context: ['x', 'y'] });
  const model = createModel(builder.layout, { personal: ['bias', 'cand.a'] });
  const rng = createRng('codec');
  for (let t = 0; t < 40; t++) {
    const [x] = builder.build([[rng.float(), rng.normal(), 1]], [rng.float(), 0]);
    if (x) updateModel(model, { userId: `u${t % 3}`, features: x, reward: rng.float() / 3 });
  }
  return { builder, model };
}

describe('snapshot codec', () => {
  it('round-trips a trained model bit for bit, so a loading instance continues in lockstep', () => {
    const { builder, model } = trained();
    const snapshot = toSnapshot(model);
    const bytes = encodeSnapshot(snapshot);
    expect(decodeSnapshot(bytes)).toEqual(snapshot);
    const copy = fromSnapshot(decodeSnapshot(bytes));
    const xs = builder.build([[1, 0, 1], [0, 2, 1]], [0.5, 1]);
    for (const user of ['u0', 'u1', 'nobody']) {
      const [a, b] = [predict(model, user, xs), predict(copy, user, xs)];
      expect(Array.from(b.means)).toEqual(Array.from(a.means));
      expect(Array.from(b.widths())).toEqual(Array.from(a.widths()));
    }
  });

  it('rejects bytes that are not a snapshot, or were cut short', () => {
    const bytes = encodeSnapshot(toSnapshot(trained().model));
    expect(() => decodeSnapshot(Buffer.from('{"format":"oo-bandit/1"}'))).toThrow(ModelStateError);
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 8))).toThrow(/snapshot/);
  });
});

describe('vector codec', () => {
  it('keeps every double exactly, including -0 and subnormals', () => {
    const x = Float64Array.from([0, -0, 1 / 3, -1e308, 5e-324, 42]);
    const back = decodeVector(encodeVector(x));
    expect(Array.from(back)).toEqual(Array.from(x));
    expect(Object.is(back[1], -0)).toBe(true);
    expect(encodeVector(x)).toHaveLength(48);
  });

  it('reads a vector at any byte offset, as pg may hand one over', () => {
    const inner = encodeVector([1.5, -2.25]);
    const shifted = Buffer.concat([Buffer.from([7]), inner]).subarray(1);
    expect(Array.from(decodeVector(shifted))).toEqual([1.5, -2.25]);
    expect(() => decodeVector(Buffer.alloc(7))).toThrow(RangeError);
  });
});
