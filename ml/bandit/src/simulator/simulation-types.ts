import type { Seed } from '../random/seeded-rng';

/** A user's reaction to a tip; `none` means no reaction inside the reward window. */
export type Reaction = 'done' | 'snooze' | 'dismiss' | 'none';

/** The reward each reaction earns (defaults: done 1, snooze 0.25, dismiss 0, none 0). */
export type RewardValues = Readonly<Record<Reaction, number>>;

export const DEFAULT_REWARDS: RewardValues = Object.freeze({ done: 1, snooze: 0.25, dismiss: 0, none: 0 });

export interface SimulatorConfig {
  readonly seed: Seed;
  readonly users: number;
  /** Candidates per decision, drawn uniformly from [min, max]. */
  readonly minCandidates: number;
  readonly maxCandidates: number;
  /** Share of candidates that are tasks; the rest are advice. */
  readonly taskShare: number;
  readonly rewards: RewardValues;
  /** Reactions later than this never arrive; the decision then earns `rewards.none`. */
  readonly rewardWindowMs: number;
  /** Mean gap between consecutive decisions (any user), in simulated minutes. */
  readonly meanGapMinutes: number;
  /** Mean delay of a reaction after the tip was served, in simulated minutes. */
  readonly meanReactionMinutes: number;
  /** Chance a served tip is never reacted to, whatever it is. */
  readonly ignoreRate: number;
  /** Of the tips not done, the share snoozed (the rest are dismissed). */
  readonly snoozeShare: number;
  /** Scale of users' deviations from the population's preferences (logit units). */
  readonly userSpread: number;
  /** Simulated wall clock at the first decision, ms since the epoch. */
  readonly startTime: number;
}

export const DEFAULT_SIMULATOR_CONFIG: Omit<SimulatorConfig, 'seed'> = Object.freeze({
  users: 30,
  minCandidates: 8,
  maxCandidates: 16,
  taskShare: 0.7,
  rewards: DEFAULT_REWARDS,
  rewardWindowMs: 24 * 3600 * 1000,
  meanGapMinutes: 6,
  meanReactionMinutes: 60,
  ignoreRate: 0.15,
  snoozeShare: 0.4,
  userSpread: 0.6,
  startTime: 1_736_121_600_000, // Monday 2025-01-06T00:00:00Z
});

/** One candidate as the recommender would see it: raw features in `CANDIDATE_FEATURES` order. */
export interface SimCandidate {
  readonly id: string;
  readonly kind: string;
  readonly features: readonly number[];
}

/** One decision to make. `expectedRewards` and `oracle*` are the simulator's hidden truth. */
export interface SimDecision {
  readonly id: string;
  readonly index: number;
  readonly userId: string;
  readonly time: number;
  readonly localHour: number;
  /** Raw context features in `CONTEXT_FEATURES` order. */
  readonly context: readonly number[];
  readonly candidates: readonly SimCandidate[];
  readonly expectedRewards: readonly number[];
  readonly oracleIndex: number;
  readonly oracleReward: number;
}

/** A reaction (or its absence) arriving at `at`, after the decision made at `decisionTime`. */
export interface SimOutcome {
  readonly decisionId: string;
  readonly userId: string;
  readonly chosen: number;
  readonly reaction: Reaction;
  readonly reward: number;
  readonly decisionTime: number;
  readonly at: number;
}
