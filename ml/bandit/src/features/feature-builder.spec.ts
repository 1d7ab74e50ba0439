import { createFeatureBuilder, toVector } from './feature-builder';
import { createLayout, layoutVersion, sameLayout } from './feature-layout';

describe('feature layout', () => {
  it('has a stable version that depends on names and their order', () => {
    expect(createLayout(['a', 'b']).version).toBe(createLayout(['a', 'b']).version);
    expect(layoutVersion(['a', 'b'])).toMatch(/^fl-[0-9a-f]{16}$/);
    expect(layoutVersion(['a', 'b'])).not.toBe(layoutVersion(['b', 'a']));
    expect(layoutVersion(['ab'])).not.toBe(layoutVersion(['a', 'b']));
    expect(sameLayout(createLayout(['a', 'b']), createLayout(['a', 'b']))).toBe(true);
  });

  it('rejects empty, blank or duplicate names', () => {
    expect(() => createLayout([])).toThrow(expect.objectContaining({ code: 'BANDIT_INVALID_ARGUMENT' }));
    expect(() => createLayout(['a', ''])).toThrow(expect.objectContaining({ code: 'BANDIT_INVALID_ARGUMENT' }));
    expect(() => createLayout(['a', 'a'])).toThrow(/duplicate/);
  });
});

describe('feature builder', () => {
  const builder = createFeatureBuilder({ candidate: ['is_overdue', 'priority'], context: ['tod_morning', 'weekend'] });

  it('names the outer product (1 ⊕ c) ⊗ (1 ⊕ x)', () => {
    expect(builder.layout.names).toEqual([
      'bias',
      'cand.is_overdue',
      'cand.priority',
      'ctx.tod_morning',
      'ctx.weekend',
      'cand.is_overdue*ctx.tod_morning',
      'cand.is_overdue*ctx.weekend',
      'cand.priority*ctx.tod_morning',
      'cand.priority*ctx.weekend',
    ]);
  });

  it('builds one vector per candidate with main effects and interactions', () => {
    const [a, b] = builder.build([[1, 0.5], [0, 1]], [1, 0]);
    expect(Array.from(a ?? [])).toEqual([1, 1, 0.5, 1, 0, 1, 0, 0.5, 0]);
    expect(Array.from(b ?? [])).toEqual([1, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('keeps only the chosen interactions when told', () => {
    const narrow = createFeatureBuilder({
      candidate: ['is_overdue', 'priority'],
      context: ['tod_morning', 'weekend'],
      interactions: [['priority', 'weekend']],
    });
    expect(narrow.layout.names.slice(5)).toEqual(['cand.priority*ctx.weekend']);
    expect(Array.from(narrow.build([[1, 0.5]], [1, 1])[0] ?? [])).toEqual([1, 1, 0.5, 1, 1, 0.5]);
    expect(() => createFeatureBuilder({ candidate: ['a'], context: ['b'], interactions: [['a', 'zzz']] })).toThrow(/unknown/);
  });

  it('rejects vectors of the wrong length', () => {
    expect(() => builder.build([[1]], [1, 0])).toThrow(expect.objectContaining({ code: 'BANDIT_DIMENSION_MISMATCH' }));
    expect(() => builder.build([[1, 0]], [1])).toThrow(expect.objectContaining({ code: 'BANDIT_DIMENSION_MISMATCH' }));
  });

  it('reads named values in order, defaulting missing and non-finite ones', () => {
    expect(toVector(['a', 'b', 'c'], { b: 2, c: Number.NaN })).toEqual([0, 2, 0]);
    expect(toVector(['a'], {}, -1)).toEqual([-1]);
  });
});
