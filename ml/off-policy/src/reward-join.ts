import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { Reaction, RewardValues } from '@oo/bandit';
import { Reaction as ProtoReaction, type TipFeedback, type TipServed } from '@oo/contracts';
import { servedTime, type LoggedTip } from './decision-log';

/** A decision whose reward is known: a reaction inside the reward window, or silence for the whole window. */
export interface SettledDecision {
  readonly served: TipServed;
  readonly reaction: Reaction;
  readonly reward: number;
  /** The feedback that decided the reward; absent for silence. */
  readonly feedback?: TipFeedback;
}

export interface Settlement {
  readonly settled: SettledDecision[];
  /** Decisions younger than the reward window with no reaction yet: their reward is not known. */
  readonly unsettled: number;
  /** Decisions that had feedback, but only after the window closed (they count as silence). */
  readonly lateFeedback: number;
  /** Feedback with a reaction this code does not know (a newer schema); ignored. */
  readonly unknownReactions: number;
  /** Served events without a served_at time; they cannot be placed against the window. */
  readonly untimed: number;
}

export interface SettleOptions {
  readonly now: Date;
  readonly rewardWindowMs: number;
  readonly rewards: RewardValues;
}

const REACTIONS: Readonly<Partial<Record<ProtoReaction, Reaction>>> = {
  [ProtoReaction.DONE]: 'done',
  [ProtoReaction.SNOOZE]: 'snooze',
  [ProtoReaction.DISMISS]: 'dismiss',
};

/**
 * Gives every decision its reward: the latest known reaction inside the reward window (a later
 * reaction replaces an earlier one, as the schema says), or `rewards.none` once the whole window
 * has passed in silence. Decisions still inside their window without a reaction are unsettled.
 *
 * @example
 * const { settled, unsettled } = settleDecisions(log.tips, { now: new Date(), rewardWindowMs: 86_400_000, rewards: DEFAULT_REWARDS });
 */
export function settleDecisions(tips: readonly LoggedTip[], options: SettleOptions): Settlement {
  const settled: SettledDecision[] = [];
  let unsettled = 0;
  let lateFeedback = 0;
  let unknownReactions = 0;
  let untimed = 0;
  for (const tip of tips) {
    const servedAt = servedTime(tip.served);
    if (!servedAt) {
      untimed++;
      continue;
    }
    const closesAt = servedAt.getTime() + options.rewardWindowMs;
    let chosen: { feedback: TipFeedback; reaction: Reaction; at: number } | undefined;
    let late = false;
    for (const feedback of tip.feedback) {
      const reaction = REACTIONS[feedback.reaction];
      if (!reaction) {
        unknownReactions++;
        continue;
      }
      // A reaction without a time is taken as prompt: the client saw the tip, so it is in the window.
      const at = feedback.reactedAt ? timestampDate(feedback.reactedAt).getTime() : servedAt.getTime();
      if (at > closesAt) {
        late = true;
        continue;
      }
      if (!chosen || at >= chosen.at) chosen = { feedback, reaction, at };
    }
    if (chosen) {
      settled.push({ served: tip.served, reaction: chosen.reaction, reward: options.rewards[chosen.reaction], feedback: chosen.feedback });
      continue;
    }
    const observedUntil = Math.min(options.now.getTime(), tip.observedAt.getTime());
    if (observedUntil < closesAt) {
      unsettled++;
      continue;
    }
    if (late) lateFeedback++;
    settled.push({ served: tip.served, reaction: 'none', reward: options.rewards.none });
  }
  return { settled, unsettled, lateFeedback, unknownReactions, untimed };
}
