import { DEFAULT_REWARDS, type Reaction, type RewardValues } from '@oo/bandit';
import { servedSince, type DecisionLog, type LoggedTip } from './decision-log';
import { evaluateDecisions, isUsable, type PolicyRow, type ProgressFn } from './policy-evaluation';
import { settleDecisions } from './reward-join';

export const DEFAULT_REWARD_WINDOW_MS = 24 * 3_600_000;

export interface EvaluateLogOptions {
  readonly since?: Date;
  readonly rewardWindowMs?: number;
  readonly rewards?: RewardValues;
  readonly seed?: number;
  readonly resamples?: number;
  /** Defaults to the current time; decisions younger than the window without a reaction are unsettled. */
  readonly now?: Date;
  readonly progress?: ProgressFn;
  /** Where the log came from, for the report (`stream SIGNALS`, `file d.jsonl`); `memory` by default. */
  readonly sourceLabel?: string;
}

export interface OpeReport {
  readonly source: string;
  readonly since: string | null;
  readonly generatedAt: string;
  readonly rewardWindowMs: number;
  readonly rewards: RewardValues;
  readonly seed: number;
  readonly resamples: number;
  readonly decisions: {
    /** Decisions in the log (served at or after `since`). */
    readonly total: number;
    readonly settled: number;
    readonly unsettled: number;
    readonly fallback: number;
    /** Settled decisions whose logged probabilities are unusable (length mismatch, propensity 0). */
    readonly invalid: number;
    readonly untimed: number;
  };
  readonly reactions: Readonly<Record<Reaction, number>>;
  readonly feedback: { readonly orphan: number; readonly late: number; readonly unknownReaction: number; readonly undecodableEvents: number };
  readonly policies: readonly PolicyRow[];
}

/**
 * Off-policy evaluation of a loaded decision log: cuts it at `since`, settles rewards, then
 * estimates the live, fallback, every shadow and the uniform policy (`npm run ope`, and
 * ml-serving's promotion step).
 *
 * @example
 * const report = evaluateDecisionLog(joinDecisionLog(served, feedback, new Date()), { since, resamples: 500 });
 */
export function evaluateDecisionLog(log: DecisionLog & { undecodable?: number }, options: EvaluateLogOptions = {}): OpeReport {
  const now = options.now ?? new Date();
  const rewardWindowMs = options.rewardWindowMs ?? DEFAULT_REWARD_WINDOW_MS;
  const rewards = options.rewards ?? DEFAULT_REWARDS;
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? 1_000;
  const tips: LoggedTip[] = servedSince(log.tips, options.since);
  const settlement = settleDecisions(tips, { now, rewardWindowMs, rewards });
  const usable = settlement.settled.filter((d) => isUsable(d.served));
  const reactions: Record<Reaction, number> = { done: 0, snooze: 0, dismiss: 0, none: 0 };
  for (const d of settlement.settled) reactions[d.reaction]++;
  return {
    source: options.sourceLabel ?? 'memory',
    since: options.since?.toISOString() ?? null,
    generatedAt: now.toISOString(),
    rewardWindowMs,
    rewards,
    seed,
    resamples,
    decisions: {
      total: tips.length,
      settled: settlement.settled.length,
      unsettled: settlement.unsettled,
      fallback: settlement.settled.filter((d) => d.served.fallback).length,
      invalid: settlement.settled.length - usable.length,
      untimed: settlement.untimed,
    },
    reactions,
    feedback: {
      orphan: log.orphanFeedback,
      late: settlement.lateFeedback,
      unknownReaction: settlement.unknownReactions,
      undecodableEvents: log.undecodable ?? 0,
    },
    policies: usable.length > 0 ? evaluateDecisions(usable, { seed, resamples, progress: options.progress }) : [],
  };
}
