import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DEFAULT_REWARDS } from '@oo/bandit';
import { Reaction, TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import { joinDecisionLog, servedSince } from '@oo/off-policy';
import { settleDecisions } from '@oo/off-policy';

const HOUR = 3_600_000;
const t0 = new Date('2026-03-01T09:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
const served = (id: string, hoursAfterT0 = 0) => create(TipServedSchema, { decisionId: id, servedAt: timestampFromDate(at(hoursAfterT0)) });
const feedback = (id: string, reaction: Reaction, hoursAfterT0: number) =>
  create(TipFeedbackSchema, { decisionId: id, reaction, reactedAt: timestampFromDate(at(hoursAfterT0)) });

const settle = (tips: ReturnType<typeof joinDecisionLog>['tips'], now: Date, rewards = DEFAULT_REWARDS) =>
  settleDecisions(tips, { now, rewardWindowMs: 24 * HOUR, rewards });

describe('the reward join', () => {
  it('joins feedback by decision id and counts what has no decision or repeats', () => {
    const log = joinDecisionLog(
      [served('a'), served('b'), served('a')],
      [feedback('a', Reaction.DONE, 1), feedback('zzz', Reaction.DONE, 1)],
      at(48),
    );
    expect(log.tips.map((t) => [t.served.decisionId, t.feedback.length])).toEqual([['a', 1], ['b', 0]]);
    expect(log).toMatchObject({ orphanFeedback: 1, duplicateServed: 1 });
  });

  it('rewards done 1, snooze 0.25, dismiss 0 and silence 0 by default', () => {
    const log = joinDecisionLog(
      [served('d'), served('s'), served('x'), served('n')],
      [feedback('d', Reaction.DONE, 1), feedback('s', Reaction.SNOOZE, 2), feedback('x', Reaction.DISMISS, 3)],
      at(48),
    );
    const result = settle(log.tips, at(48));
    expect(result.settled.map((d) => [d.served.decisionId, d.reaction, d.reward])).toEqual([
      ['d', 'done', 1],
      ['s', 'snooze', 0.25],
      ['x', 'dismiss', 0],
      ['n', 'none', 0],
    ]);
    expect(result.unsettled).toBe(0);
  });

  it('uses configured rewards', () => {
    const log = joinDecisionLog([served('s'), served('n')], [feedback('s', Reaction.SNOOZE, 1)], at(48));
    const rewards = { done: 1, snooze: 0.5, dismiss: -0.2, none: -0.1 };
    expect(settle(log.tips, at(48), rewards).settled.map((d) => d.reward)).toEqual([0.5, -0.1]);
  });

  it('takes the latest reaction inside the window and ignores reactions after it', () => {
    const log = joinDecisionLog(
      [served('a'), served('late')],
      [feedback('a', Reaction.SNOOZE, 5), feedback('a', Reaction.DONE, 20), feedback('a', Reaction.DISMISS, 30), feedback('late', Reaction.DONE, 25)],
      at(72),
    );
    const result = settle(log.tips, at(72));
    expect(result.settled.map((d) => [d.served.decisionId, d.reaction])).toEqual([['a', 'done'], ['late', 'none']]);
    expect(result.lateFeedback).toBe(1);
  });

  it('leaves decisions younger than the window without a reaction unsettled, but settles ones with a reaction', () => {
    const log = joinDecisionLog([served('old', 0), served('young', 30), served('young-done', 30)], [feedback('young-done', Reaction.DONE, 31)], at(40));
    const result = settle(log.tips, at(40));
    expect(result.settled.map((d) => d.served.decisionId)).toEqual(['old', 'young-done']);
    expect(result.unsettled).toBe(1);
  });

  it('counts silence only up to when the log was read (an export re-read later)', () => {
    const log = joinDecisionLog([served('a', 0)], [], at(10));
    expect(settle(log.tips, at(100)).unsettled).toBe(1);
  });

  it('ignores reactions it does not know and decisions without a time', () => {
    const log = joinDecisionLog(
      [served('a'), create(TipServedSchema, { decisionId: 'untimed' })],
      [feedback('a', 99 as Reaction, 1), feedback('a', Reaction.UNSPECIFIED, 2)],
      at(48),
    );
    const result = settle(log.tips, at(48));
    expect(result.settled.map((d) => d.reaction)).toEqual(['none']);
    expect(result).toMatchObject({ unknownReactions: 2, untimed: 1 });
  });

  it('keeps decisions served at or after --since', () => {
    const log = joinDecisionLog([served('before', -1), served('at', 0), served('after', 1)], [], at(48));
    expect(servedSince(log.tips, t0).map((t) => t.served.decisionId)).toEqual(['at', 'after']);
    expect(servedSince(log.tips, undefined)).toHaveLength(3);
  });
});
