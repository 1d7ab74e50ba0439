import type { SeededRng } from '@oo/bandit';
import { ADVICE_KINDS, KNOWN_SOURCES, adviceFeatures, taskFeatures, type TaskFacts } from '@oo/decision-features';
import { drawDueAt } from '../simulate/sim-population';
import type { LabCandidate, LabFamily, LabTaste } from './lab-families';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SOURCES = [...KNOWN_SOURCES, 'other'] as const;

/** A task in a lab person's list, as the recommender's read model holds it. */
export type LabTask = TaskFacts & { readonly id: string };

/** One simulated person: hidden taste, a timezone offset, an open task list and what the profile would count. */
export interface LabPerson {
  readonly id: string;
  readonly taste: LabTaste;
  readonly utcOffsetHours: number;
  tasks: LabTask[];
  served: number;
  done: number;
  dismissed: number;
  nextTask: number;
}

/** Priorities as people set them: mostly normal, few urgent. */
function drawPriority(rng: SeededRng): number {
  const v = rng.float();
  return v < 0.45 ? 1 : v < 0.7 ? 2 : v < 0.88 ? 3 : 4;
}

/** A new task, due as the services' simulation draws it (`drawDueAt`). */
export function drawTask(person: LabPerson, rng: SeededRng, now: Date, createdDaysAgo: number): LabTask {
  const t = now.getTime();
  const dueAt = drawDueAt(rng, t);
  person.nextTask += 1;
  return {
    id: `${person.id}-t${person.nextTask}`,
    source: SOURCES[rng.int(SOURCES.length)] as string,
    priority: drawPriority(rng),
    createdAt: new Date(t - createdDaysAgo * DAY_MS),
    ...(dueAt ? { dueAt } : {}),
  };
}

/** The people of one run: tastes from the family, 6–14 tasks each, offsets spread over the globe. */
export function createPeople(family: LabFamily, count: number, rng: SeededRng, now: Date): LabPerson[] {
  return Array.from({ length: count }, (_, k) => {
    const own = rng.fork(`person-${k}`);
    const person: LabPerson = { id: `lab-u${k}`, taste: family.makeTaste(own), utcOffsetHours: (k * 7) % 24 - 11, tasks: [], served: 0, done: 0, dismissed: 0, nextTask: 0 };
    person.tasks = Array.from({ length: 6 + own.int(9) }, () => drawTask(person, own, now, 1 + own.float() * 44));
    return person;
  });
}

/** A candidate with its raw features (CANDIDATE_FEATURES order) and what the hidden world sees of it. */
export interface LabOption {
  readonly facts: LabCandidate;
  readonly features: number[];
  readonly taskId?: string;
}

/** What the recommender would offer now: every open task and one item of each advice kind. */
export function optionsFor(person: LabPerson, now: Date): LabOption[] {
  const t = now.getTime();
  const tasks = person.tasks.map((task): LabOption => {
    const dueInHours = task.dueAt ? (task.dueAt.getTime() - t) / HOUR_MS : undefined;
    return {
      taskId: task.id,
      features: taskFeatures(task, now),
      facts: {
        id: `task:${task.id}`,
        priority: task.priority,
        overdue: dueInHours !== undefined && dueInHours < 0,
        ...(dueInHours !== undefined ? { dueInHours } : {}),
        ageDays: (t - task.createdAt.getTime()) / DAY_MS,
      },
    };
  });
  const advice = ADVICE_KINDS.map((kind): LabOption => ({ features: adviceFeatures(kind), facts: { id: `advice:${kind}`, advice: kind, priority: 0, overdue: false, ageDays: 0 } }));
  return [...tasks, ...advice];
}

/** The person's local hour and weekday at `now`. */
export function localMoment(person: LabPerson, now: Date): { localHour: number; localWeekday: number } {
  const local = new Date(now.getTime() + person.utcOffsetHours * HOUR_MS);
  return { localHour: local.getUTCHours(), localWeekday: local.getUTCDay() };
}
