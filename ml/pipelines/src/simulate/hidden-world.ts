import { createRng, DEFAULT_REWARDS, type Reaction, type RewardValues, type SeededRng } from '@oo/bandit';
import { ADVICE_KINDS, TIMES_OF_DAY, type AdviceKind } from '@oo/decision-features';

export type TimeOfDay = (typeof TIMES_OF_DAY)[number];
export type Category = 'task:todoist' | 'task:google_tasks' | 'task:other' | `advice:${AdviceKind}` | 'advice:other';

export const CATEGORIES: readonly Category[] = Object.freeze([
  'task:todoist',
  'task:google_tasks',
  'task:other',
  ...ADVICE_KINDS.map((k) => `advice:${k}` as const),
  'advice:other',
]);

/** What the world needs to know about a candidate to decide how a user reacts to it. */
export interface WorldCandidate {
  /** The tip id the recommender uses: `task:<taskId>` or `advice:<adviceId>`. */
  readonly id: string;
  readonly category: Category;
  readonly overdue: boolean;
  /** 0 (priority 4, normal) … 1 (priority 1, most urgent); 0 for advice. */
  readonly urgency: number;
}

/** The moment in the user's own timezone. */
export interface WorldMoment {
  readonly tod: TimeOfDay;
  readonly weekend: boolean;
}

export interface HiddenWorldConfig {
  readonly seed: number;
  readonly users: number;
  readonly rewards?: RewardValues;
  /** Of the tips not done, how they split; the three add up to 1. */
  readonly shares?: { readonly snooze: number; readonly dismiss: number; readonly none: number };
  /** Scale of each user's deviation from the population, in logit units (default 0.6). */
  readonly userSpread?: number;
}

/** A seeded population of users whose reactions the recommender has to learn. */
export interface HiddenWorld {
  readonly rewards: RewardValues;
  doneProbability(user: number, candidate: WorldCandidate, moment: WorldMoment): number;
  /** E[reward] = p·done + (1 − p)·(shares · rewards of the other reactions). */
  expectedReward(user: number, candidate: WorldCandidate, moment: WorldMoment): number;
  /** Samples a reaction; all randomness comes from `rng`, so a seeded decision replays exactly. */
  react(user: number, candidate: WorldCandidate, moment: WorldMoment, rng: SeededRng): Reaction;
}

export const DEFAULT_SHARES = Object.freeze({ snooze: 0.35, dismiss: 0.4, none: 0.25 });

// The population's taste in logits, by time of day (morning, afternoon, evening, night): work
// tasks and planning early, breaks after lunch, reflection in the evening, little at night. A
// seeded jitter on top makes each seed a different world with the same broad shape.
const BASE: Readonly<Record<Category, readonly [number, number, number, number]>> = {
  'task:todoist': [-0.4, -0.2, -1.0, -2.0],
  'task:google_tasks': [-0.6, -0.3, -0.8, -2.0],
  'task:other': [-0.9, -0.7, -0.9, -2.2],
  'advice:break': [-1.6, -0.4, -0.6, -1.5],
  'advice:plan': [-0.2, -1.0, -0.8, -1.8],
  'advice:focus': [0.0, -0.6, -1.4, -2.0],
  'advice:reflect': [-1.5, -1.2, -0.1, -0.9],
  'advice:other': [-1.2, -1.2, -1.2, -1.6],
};
const OVERDUE_BY_TOD = [0.9, 0.6, 0.2, -0.3];
const URGENCY_BY_TOD = [1.0, 0.8, 0.3, 0.0];
const WEEKEND = { task: -0.4, advice: 0.2 };

const { exp } = Math;
const sigmoid = (z: number): number => 1 / (1 + exp(-z));
const todIndex = (tod: TimeOfDay): number => TIMES_OF_DAY.indexOf(tod);

/**
 * Builds the world: population table with seeded jitter, then per-user deviations in category
 * taste, overdue taste and urgency taste. Deterministic in `seed` and `users`.
 *
 * @example
 * const world = createHiddenWorld({ seed: 1, users: 40 });
 * world.expectedReward(0, { id: 'advice:a1', category: 'advice:break', overdue: false, urgency: 0 }, { tod: 'afternoon', weekend: false });
 */
export function createHiddenWorld(config: HiddenWorldConfig): HiddenWorld {
  const rewards = config.rewards ?? DEFAULT_REWARDS;
  const shares = config.shares ?? DEFAULT_SHARES;
  const spread = config.userSpread ?? 0.6;
  const root = createRng(config.seed);
  const population = root.fork('population');
  const base = new Map(CATEGORIES.map((c) => [c, BASE[c].map((v) => v + 0.3 * population.normal())] as const));
  const users = Array.from({ length: config.users }, (_, u) => {
    const rng = root.fork(`user-${u}`);
    return {
      category: new Map(CATEGORIES.map((c) => [c, spread * rng.normal()] as const)),
      overdue: 0.4 * rng.normal(),
      urgency: 0.4 * rng.normal(),
    };
  });
  const otherReward = shares.snooze * rewards.snooze + shares.dismiss * rewards.dismiss + shares.none * rewards.none;

  const doneProbability: HiddenWorld['doneProbability'] = (user, c, moment) => {
    const u = users[user];
    if (!u) throw new RangeError(`user ${user} is not in a world of ${users.length}`);
    const t = todIndex(moment.tod);
    const isTask = c.category.startsWith('task:');
    let logit = (base.get(c.category) as number[])[t] as number;
    logit += u.category.get(c.category) as number;
    if (c.overdue) logit += (OVERDUE_BY_TOD[t] as number) + u.overdue;
    logit += c.urgency * ((URGENCY_BY_TOD[t] as number) + u.urgency);
    if (moment.weekend) logit += isTask ? WEEKEND.task : WEEKEND.advice;
    return sigmoid(logit);
  };

  return {
    rewards,
    doneProbability,
    expectedReward: (user, c, moment) => {
      const p = doneProbability(user, c, moment);
      return p * rewards.done + (1 - p) * otherReward;
    },
    react: (user, c, moment, rng) => {
      if (rng.float() < doneProbability(user, c, moment)) return 'done';
      const v = rng.float();
      if (v < shares.snooze) return 'snooze';
      return v < shares.snooze + shares.dismiss ? 'dismiss' : 'none';
    },
  };
}
