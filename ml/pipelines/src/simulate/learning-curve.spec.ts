import { learningCurve, summarize, type DecisionRecord } from './learning-curve';

const tip = (index: number, expected: number, extra: Partial<DecisionRecord> = {}): DecisionRecord => ({
  index,
  userId: 'u',
  outcome: 'tip',
  reward: expected > 0.5 ? 1 : 0,
  expected,
  oracle: 0.8,
  uniform: 0.4,
  fallback: false,
  ...extra,
});

describe('the learning curve', () => {
  it('averages consecutive windows by decision number, whatever order decisions finished in', () => {
    const records = [tip(3, 0.8), tip(0, 0.4), tip(2, 0.6), tip(1, 0.4, { fallback: true }), tip(4, 0.8)];
    const curve = learningCurve(records, 2);
    expect(curve.map((w) => [w.from, w.to, w.decisions])).toEqual([[1, 2, 2], [3, 4, 2], [5, 5, 1]]);
    expect(curve[0]).toMatchObject({ expected: 0.4, realized: 0, gapClosed: 0, fallbackShare: 0.5 });
    expect(curve[1]?.expected).toBeCloseTo(0.7, 12);
    expect(curve[1]?.gapClosed).toBeCloseTo(0.75, 12);
    expect(curve[2]).toMatchObject({ expected: 0.8, gapClosed: 1, realized: 1, fallbackShare: 0 });
  });

  it('leaves decisions without a tip out of the averages, and unknown tips out of the values', () => {
    const stats = summarize([
      tip(0, 0.6),
      { index: 1, userId: 'u', outcome: 'no-tip' },
      { index: 2, userId: 'u', outcome: 'unknown-tip', fallback: true },
    ]);
    expect(stats).toMatchObject({ decisions: 3, tips: 2, expected: 0.6, oracle: 0.8, uniform: 0.4, fallbackShare: 0.5 });
  });

  it('has no values for a window without tips, and no gap when the oracle is no better than uniform', () => {
    expect(summarize([{ index: 0, userId: 'u', outcome: 'no-tip' }])).toMatchObject({ tips: 0, expected: null, gapClosed: null, fallbackShare: null });
    expect(summarize([tip(0, 0.5, { oracle: 0.5, uniform: 0.5 })]).gapClosed).toBeNull();
  });
});
