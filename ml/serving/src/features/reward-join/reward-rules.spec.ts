import { rewardRulesFrom, settledOutcome } from './reward-rules';

const rules = rewardRulesFrom({ REWARD_DONE: 1, REWARD_SNOOZE: 0.25, REWARD_DISMISS: 0, REWARD_NONE: -0.5, REWARD_WINDOW_MS: 3_600_000 });
const servedAt = new Date('2026-11-23T08:00:00Z');
const after = (ms: number) => new Date(servedAt.getTime() + ms);

describe('settled outcome', () => {
  it('pays the reaction inside the window, up to and including its last millisecond', () => {
    expect(settledOutcome(rules, servedAt, { reaction: 'done', reactedAt: after(60_000) })).toEqual({ outcome: 'done', reward: 1 });
    expect(settledOutcome(rules, servedAt, { reaction: 'snooze', reactedAt: after(3_600_000) })).toEqual({ outcome: 'snooze', reward: 0.25 });
    expect(settledOutcome(rules, servedAt, { reaction: 'dismiss', reactedAt: after(0) })).toEqual({ outcome: 'dismiss', reward: 0 });
  });

  it('counts no reaction, or a reaction after the window, as silence', () => {
    expect(settledOutcome(rules, servedAt)).toEqual({ outcome: 'none', reward: -0.5 });
    expect(settledOutcome(rules, servedAt, { reaction: 'done', reactedAt: after(3_600_001) })).toEqual({ outcome: 'none', reward: -0.5 });
  });
});
