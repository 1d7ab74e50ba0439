import type { SeededRng } from '@oo/bandit';
import { ADVICE_KINDS, timeOfDay, type AdviceKind } from '@oo/decision-features';

/** A candidate as the lab's hidden world sees it: the facts a person reacts to. */
export interface LabCandidate {
  readonly id: string;
  /** Undefined for a task. */
  readonly advice?: AdviceKind;
  /** Todoist-style 1 (normal) … 4 (urgent); 0 for advice. */
  readonly priority: number;
  readonly overdue: boolean;
  /** Hours until due (negative when overdue); undefined without a due date. */
  readonly dueInHours?: number;
  readonly ageDays: number;
}

/** When a tip is shown, in the person's own time. */
export interface LabMoment {
  readonly localHour: number;
  readonly weekend: boolean;
}

/** One person's hidden taste: a type and numbers only the family interprets. */
export interface LabTaste {
  readonly type: number;
  readonly w: readonly number[];
}

/**
 * A population family: how people differ and what drives their reward. `logit` is the log-odds
 * of "done"; every family keeps the best candidate learnable from the features the recommender
 * logs (no hidden per-task quirks), or no policy could approach the oracle.
 */
export interface LabFamily {
  readonly name: string;
  readonly describe: string;
  makeTaste(rng: SeededRng): LabTaste;
  logit(taste: LabTaste, candidate: LabCandidate, moment: LabMoment): number;
}

const TOD = ['morning', 'afternoon', 'evening', 'night'] as const;
const todIndex = (hour: number): number => TOD.indexOf(timeOfDay(hour));
const adviceIndex = (c: LabCandidate): number => (c.advice ? ADVICE_KINDS.indexOf(c.advice) : -1);
const urgent = (c: LabCandidate): number => (c.advice ? 0 : (c.priority - 1) / 3);
const dueWithin = (c: LabCandidate, hours: number): boolean => c.dueInHours !== undefined && c.dueInHours >= 0 && c.dueInHours <= hours;

// Weights come from the rng in a fixed order, so a seed names one population exactly.
const around = (rng: SeededRng, mean: number, sd: number): number => mean + sd * rng.normal();

/** People who answer to pressure: priority and overdue weigh differently for each of them. */
const urgency: LabFamily = {
  name: 'urgency',
  describe: 'reward driven by priority and overdue, each person weighing them differently; advice rarely wins',
  makeTaste: (rng) => ({ type: rng.int(2), w: [around(rng, 2.2, 0.8), around(rng, 1.6, 0.8), around(rng, -1.8, 0.4)] }),
  logit: ({ w }, c) => (c.advice ? (w[2] as number) : -1.2 + (w[0] as number) * urgent(c) + (c.overdue ? (w[1] as number) : 0)),
};

/** Last-minute people do what is due within a day; planners what is due in the coming week. */
const dueWindows: LabFamily = {
  name: 'due-windows',
  describe: 'last-minute people do tasks due within 24 h (overdue ones too), planners tasks due in 2–7 days, undated tasks suit neither',
  makeTaste: (rng) => ({ type: rng.int(2), w: [around(rng, 2.4, 0.5), around(rng, -1.5, 0.4)] }),
  logit: ({ type, w }, c) => {
    if (c.advice) return w[1] as number;
    if (c.dueInHours === undefined) return -1.6;
    const fits = type === 0 ? c.overdue || dueWithin(c, 24) : c.dueInHours > 48 && c.dueInHours <= 168;
    return -1.4 + (fits ? (w[0] as number) : 0);
  },
};

/** Each person has an advice kind they value and tasks matter less; which kind differs. */
const adviceKinds: LabFamily = {
  name: 'advice-kinds',
  describe: 'each person prefers one advice kind over their tasks, the kind differs by person; the rest is noise around urgency',
  makeTaste: (rng) => ({ type: rng.int(ADVICE_KINDS.length), w: [around(rng, 1.2, 0.4), around(rng, 0.8, 0.3)] }),
  logit: ({ type, w }, c) => {
    const kind = adviceIndex(c);
    if (kind >= 0) return kind === type ? (w[0] as number) : -1.8;
    return -1 + (w[1] as number) * urgent(c);
  },
};

/** Morning people and night owls: when tasks win over advice depends on the person's hours. */
const timeOfDayFamily: LabFamily = {
  name: 'time-of-day',
  describe: 'tasks win in a person’s own productive part of the day (morning for some, evening/night for others), breaks and reflection at other hours',
  makeTaste: (rng) => ({ type: rng.int(2), w: [around(rng, 1.8, 0.4), around(rng, 1.0, 0.3)] }),
  logit: ({ type, w }, c, m) => {
    const tod = todIndex(m.localHour);
    const productive = type === 0 ? tod === 0 || tod === 1 : tod === 2 || tod === 3;
    const kind = adviceIndex(c);
    if (kind >= 0) return !productive && (c.advice === 'break' || c.advice === 'reflect') ? (w[1] as number) : -1.8;
    return (productive ? -0.6 + (w[0] as number) * 0.6 : -2) + 1.2 * urgent(c) + (m.weekend ? -0.5 : 0);
  },
};

/** Three kinds of people who want different things, as in the population the team was given. */
const mix: LabFamily = {
  name: 'mix',
  describe: 'three kinds: deadline-driven (overdue and due soon), priority-driven (urgent first, undated fine), advice seekers (plan in the morning, break otherwise)',
  makeTaste: (rng) => ({ type: rng.int(3), w: [around(rng, 2.0, 0.5), around(rng, 1.2, 0.3)] }),
  logit: ({ type, w }, c, m) => {
    const strong = w[0] as number;
    if (type === 0) return c.advice ? -2 : -1.5 + (c.overdue || dueWithin(c, 24) ? strong : 0) + 0.3 * urgent(c);
    if (type === 1) return c.advice ? -2 : -1.5 + strong * urgent(c);
    if (!c.advice) return -1.6 + 0.4 * urgent(c);
    const wanted = todIndex(m.localHour) === 0 ? 'plan' : 'break';
    return c.advice === wanted ? -0.4 + (w[1] as number) : -1.8;
  },
};

export const LAB_FAMILIES: readonly LabFamily[] = Object.freeze([urgency, dueWindows, adviceKinds, timeOfDayFamily, mix]);

/** The family named `name`; throws with the known names otherwise. */
export function labFamily(name: string): LabFamily {
  const found = LAB_FAMILIES.find((f) => f.name === name);
  if (!found) throw new RangeError(`no population family "${name}"; known: ${LAB_FAMILIES.map((f) => f.name).join(', ')}`);
  return found;
}
