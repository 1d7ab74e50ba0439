import type { SeededRng } from '../random/seeded-rng';
import type { SimulatorConfig } from './simulation-types';

// Math's functions as module constants: under jest (a vm context) every lookup of the global
// `Math` goes through an interceptor and costs ~100× a local read.
const { exp } = Math;

export const TASK_KINDS = ['work', 'personal', 'errand'] as const;
export const ADVICE_KINDS = ['break', 'plan', 'focus'] as const;
export const KINDS = [...TASK_KINDS, ...ADVICE_KINDS] as const;
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening', 'night'] as const;

/** Raw candidate features, in the order of `SimCandidate.features`. */
export const CANDIDATE_FEATURES: readonly string[] = Object.freeze([
  ...KINDS.map((k) => `kind_${k}`),
  'is_overdue',
  'priority',
  'task_age',
  'due_soon',
]);

/** Raw context features, in the order of `SimDecision.context`. */
export const CONTEXT_FEATURES: readonly string[] = Object.freeze([...TIMES_OF_DAY.map((t) => `tod_${t}`), 'is_weekend']);

const OVERDUE = KINDS.length;
const PRIORITY = OVERDUE + 1;
const AGE = OVERDUE + 2;
const DUE_SOON = OVERDUE + 3;

/** The population's hidden preferences, in logit units. */
interface PopulationPreferences {
  readonly base: number;
  readonly kindByTime: readonly (readonly number[])[];
  readonly overdueByTime: readonly number[];
  readonly priorityByTime: readonly number[];
  readonly kindOnWeekend: readonly number[];
  readonly dueSoon: number;
  readonly age: number;
}

/** One simulated user: a timezone and hidden deviations from the population. */
export interface SimUser {
  readonly id: string;
  readonly utcOffsetHours: number;
  readonly kindShift: readonly number[];
  readonly overdueShift: number;
  readonly priorityShift: number;
}

/** The hidden world: who the users are and what they like. */
export interface HiddenWorld {
  readonly population: PopulationPreferences;
  readonly users: readonly SimUser[];
}

export function createWorld(config: SimulatorConfig, rng: SeededRng): HiddenWorld {
  const normal = (mean: number, sd: number) => mean + sd * rng.normal();
  const population: PopulationPreferences = {
    base: -0.6,
    kindByTime: KINDS.map(() => TIMES_OF_DAY.map(() => normal(0, 0.9))),
    overdueByTime: TIMES_OF_DAY.map(() => normal(0.8, 0.5)),
    priorityByTime: TIMES_OF_DAY.map(() => normal(0.9, 0.5)),
    kindOnWeekend: KINDS.map(() => normal(0, 0.5)),
    dueSoon: 0.5,
    age: -0.3,
  };
  const users = Array.from({ length: config.users }, (_, k): SimUser => ({
    id: `user-${k}`,
    utcOffsetHours: rng.int(11) - 5,
    kindShift: KINDS.map(() => normal(0, config.userSpread)),
    overdueShift: normal(0, config.userSpread),
    priorityShift: normal(0, config.userSpread),
  }));
  return { population, users };
}

/** Index into `TIMES_OF_DAY` for a local hour: morning 6–12, afternoon 12–18, evening 18–23, night. */
export function timeOfDay(localHour: number): number {
  if (localHour >= 6 && localHour < 12) return 0;
  if (localHour >= 12 && localHour < 18) return 1;
  if (localHour >= 18 && localHour < 23) return 2;
  return 3;
}

/** The user's hidden utility (logit of "done") for a candidate in a context. */
export function utility(world: HiddenWorld, user: SimUser, features: readonly number[], tod: number, weekend: boolean): number {
  const p = world.population;
  const kind = features.findIndex((v, i) => i < KINDS.length && v === 1);
  const at = (xs: readonly number[], i: number) => xs[i] ?? 0;
  let u = p.base + at(user.kindShift, kind) + at(at2(p.kindByTime, kind), tod);
  if (weekend) u += at(p.kindOnWeekend, kind);
  u += at(features, OVERDUE) * (at(p.overdueByTime, tod) + user.overdueShift);
  u += at(features, PRIORITY) * (at(p.priorityByTime, tod) + user.priorityShift);
  u += at(features, DUE_SOON) * p.dueSoon + at(features, AGE) * p.age;
  return u;
}

/**
 * Probabilities of each reaction given the utility, and the expected reward they imply:
 * ignored with `ignoreRate`; otherwise done with σ(u), else snoozed or dismissed; a reaction that
 * would come after the reward window counts as none.
 */
export function reactionModel(config: SimulatorConfig, u: number): { done: number; snooze: number; dismiss: number; expected: number } {
  const inWindow = 1 - exp(-config.rewardWindowMs / (config.meanReactionMinutes * 60_000));
  const react = (1 - config.ignoreRate) * inWindow;
  const pDone = 1 / (1 + exp(-u));
  const done = react * pDone;
  const snooze = react * (1 - pDone) * config.snoozeShare;
  const dismiss = react * (1 - pDone) * (1 - config.snoozeShare);
  const none = 1 - done - snooze - dismiss;
  const r = config.rewards;
  return { done, snooze, dismiss, expected: done * r.done + snooze * r.snooze + dismiss * r.dismiss + none * r.none };
}

function at2(xs: readonly (readonly number[])[], i: number): readonly number[] {
  return xs[i] ?? [];
}
