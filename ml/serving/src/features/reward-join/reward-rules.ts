import type { Outcome, StoredReaction } from '../../db/database';

/** What each outcome is worth, and how long a decision waits for its reaction. */
export interface RewardRules {
  readonly rewards: Readonly<Record<Outcome, number>>;
  readonly windowMs: number;
}

/**
 * The rules from the service's configuration.
 *
 * @example
 * const rules = rewardRulesFrom(config); // rules.rewards.snooze === 0.25 by default
 */
export function rewardRulesFrom(config: {
  REWARD_DONE: number;
  REWARD_SNOOZE: number;
  REWARD_DISMISS: number;
  REWARD_NONE: number;
  REWARD_WINDOW_MS: number;
}): RewardRules {
  return Object.freeze({
    rewards: Object.freeze({ done: config.REWARD_DONE, snooze: config.REWARD_SNOOZE, dismiss: config.REWARD_DISMISS, none: config.REWARD_NONE }),
    windowMs: config.REWARD_WINDOW_MS,
  });
}

/**
 * The settled outcome of a decision: its reaction if the user reacted inside the window, else
 * `none` — a reaction after the window counts as silence, exactly as if it had never come, so the
 * reward does not depend on whether the sweeper happened to run first.
 *
 * @example
 * settledOutcome(rules, servedAt, { reaction: 'done', reactedAt }); // { outcome: 'done', reward: 1 }
 */
export function settledOutcome(
  rules: RewardRules,
  servedAt: Date,
  feedback?: { reaction: StoredReaction; reactedAt: Date },
): { outcome: Outcome; reward: number } {
  const inWindow = feedback !== undefined && feedback.reactedAt.getTime() - servedAt.getTime() <= rules.windowMs;
  const outcome: Outcome = inWindow ? feedback.reaction : 'none';
  return { outcome, reward: rules.rewards[outcome] };
}
