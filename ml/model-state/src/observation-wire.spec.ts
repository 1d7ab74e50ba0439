import { createModel, createLayout, toSnapshot } from '@oo/bandit';
import { observationPageSchema, fromObservationPageJson, toObservationPageJson } from './observation-wire';
import { decodeReplica, encodeReplica, encodeSnapshot } from './snapshot-codec';
import { decodeVector, encodeVector } from './vector-codec';
import { ModelStateError } from './model-state-error';

describe('observation page wire form', () => {
  it('carries every row exactly (vectors bit for bit) and leaves the decision id behind', () => {
    const x = [0.1, -1 / 3, Number.MIN_VALUE, 1e300];
    const rows = [
      { seq: '41', kind: 'reward' as const, decision_id: 'd1', user_id: 'u1', layout_version: 'fl-a', features: encodeVector(x), reward: 0.25, outcome: 'snooze' },
      { seq: '42', kind: 'forget' as const, decision_id: null, user_id: 'u2', layout_version: null, features: null, reward: null, outcome: null },
    ];
    const json = JSON.parse(JSON.stringify(toObservationPageJson({ rows, layouts: { 'fl-a': ['bias'] } }))) as unknown;
    const page = fromObservationPageJson(observationPageSchema.parse(json));
    expect(Array.from(decodeVector(page.rows[0]?.features as Uint8Array))).toEqual(x);
    expect(page.rows.map(({ features: _f, ...rest }) => rest)).toEqual(rows.map(({ features: _f, decision_id: _d, ...rest }) => rest));
    expect(page.layouts).toEqual({ 'fl-a': ['bias'] });
  });

  it('refuses a page that is not one', () => {
    expect(observationPageSchema.safeParse({ observations: [{ seq: '-1', kind: 'reward' }], layouts: {} }).success).toBe(false);
  });
});

describe('replica document', () => {
  it('round-trips the model, completeness and catalog, and refuses a plain checkpoint', () => {
    const snapshot = toSnapshot(createModel(createLayout(['bias', 'x'])));
    const document = { model: snapshot, complete: false, policies: { uniform: { kind: 'uniform' as const } } };
    expect(decodeReplica(encodeReplica(document))).toEqual(document);
    expect(() => decodeReplica(encodeSnapshot(snapshot))).toThrow(ModelStateError);
  });
});
