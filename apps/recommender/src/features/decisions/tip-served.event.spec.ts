import { ContextFeatureStatus } from '@oo/contracts';
import { CANDIDATE_FEATURES } from '@oo/decision-features';
import { uuidv7, UUID_PATTERN } from './decision-id';
import { toTipServed, type DecisionRecord } from './tip-served.event';

const record = (localWeekday: number, channel = 'in_app'): DecisionRecord => ({
  decisionId: 'd-1',
  userId: 'u-1',
  servedAt: new Date('2026-11-22T10:00:00Z'),
  candidates: [
    { tipId: 'task:t1', id: 't1', kind: 'task', taskId: 't1', features: [1, 0], title: 'T', body: 'B' },
    { tipId: 'advice:walk', id: 'walk', kind: 'break', features: [0, 1], title: 'W', body: 'B' },
  ],
  context: {
    features: [
      { name: 'completion_rate_30d', value: 0.5, status: 'fresh' },
      { name: 'favourite_tip_kind_30d', value: 'none', status: 'fallback' },
    ],
    timezone: 'Europe/Berlin',
    localHour: 11,
    localWeekday,
  },
  channel,
  choice: { policy: 'linucb', modelVersion: 'fl-1/3', layoutVersion: 'fl-1', probabilities: [0.3, 0.7], shadows: [], fallback: false },
  chosenIndex: 1,
  propensity: 0.7,
});

describe('toTipServed', () => {
  it('describes the chosen candidate, every candidate and the context as the proto documents them', () => {
    const served = toTipServed(record(0));
    expect(served).toMatchObject({ decisionId: 'd-1', tipId: 'advice:walk', tipKind: 'break', policy: 'linucb', chosenIndex: 1, propensity: 0.7, fallbackReason: '' });
    expect(served.featureLayout).toEqual(CANDIDATE_FEATURES);
    expect(served.candidates.map((c) => [c.candidateId, c.kind, c.taskId])).toEqual([
      ['t1', 'task', 't1'],
      ['walk', 'break', undefined],
    ]);
    expect(served.context?.features.map((f) => [f.value.case, f.value.value, f.status])).toEqual([
      ['numberValue', 0.5, ContextFeatureStatus.FRESH],
      ['textValue', 'none', ContextFeatureStatus.FALLBACK],
    ]);
  });

  it('records the channel the tip is shown on in the context', () => {
    expect(toTipServed(record(1)).context?.channel).toBe('in_app');
    expect(toTipServed(record(1, 'push')).context?.channel).toBe('push');
  });

  it('logs ISO weekdays: Sunday is 7, Monday 1', () => {
    expect(toTipServed(record(0)).context?.localWeekday).toBe(7);
    expect(toTipServed(record(1)).context?.localWeekday).toBe(1);
  });
});

describe('uuidv7', () => {
  it('is a version-7 UUID whose first 48 bits are the time, so ids sort by time', () => {
    const a = uuidv7(new Date('2026-11-22T10:00:00.000Z'));
    const b = uuidv7(new Date('2026-11-22T10:00:00.001Z'));
    expect(a).toMatch(UUID_PATTERN);
    expect(a[14]).toBe('7');
    expect('89ab').toContain(a[19]);
    expect(parseInt(a.replace('-', '').slice(0, 12), 16)).toBe(Date.parse('2026-11-22T10:00:00.000Z'));
    expect(a < b).toBe(true);
    expect(uuidv7(new Date(0))).not.toBe(uuidv7(new Date(0)));
  });
});
