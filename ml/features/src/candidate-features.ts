/**
 * Raw candidate features: what the recommender knows about each thing it could suggest, scaled
 * to roughly [-2, 7] so no single feature dominates a ridge model with a unit prior.
 */

/** Kinds of advice in the library; a task's kind is always `task`. */
export const ADVICE_KINDS = ['break', 'plan', 'focus', 'reflect'] as const;
export type AdviceKind = (typeof ADVICE_KINDS)[number];

/** Task sources with their own feature; every other source counts as `other`. */
export const KNOWN_SOURCES = ['todoist', 'google_tasks'] as const;

/** Names of the raw candidate features, in vector order. Append only: the model migrates, but logs keep old orders. */
export const CANDIDATE_FEATURES: readonly string[] = Object.freeze([
  'is_task',
  'is_overdue',
  'task_age_days',
  'priority',
  'due_in_hours',
  'has_due',
  'due_soon',
  ...KNOWN_SOURCES.map((s) => `source_${s}`),
  'source_other',
  ...ADVICE_KINDS.map((k) => `kind_${k}`),
]);

/** What the recommender's read model holds of a task. */
export interface TaskFacts {
  readonly source: string;
  readonly createdAt: Date;
  readonly dueAt?: Date | null;
  /** Todoist-style 1 (normal) … 4 (urgent); 0 when the source has none. */
  readonly priority: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const { min, max } = Math;

function clamp(value: number, lo: number, hi: number): number {
  return min(hi, max(lo, value));
}

/**
 * A task's raw candidate features at `now`, in `CANDIDATE_FEATURES` order.
 *
 * @example
 * taskFeatures({ source: 'todoist', createdAt, dueAt, priority: 4 }, new Date());
 */
export function taskFeatures(task: TaskFacts, now: Date): number[] {
  const t = now.getTime();
  const dueIn = task.dueAt ? (task.dueAt.getTime() - t) / HOUR_MS : undefined;
  const known = (KNOWN_SOURCES as readonly string[]).includes(task.source);
  return [
    1,
    dueIn !== undefined && dueIn < 0 ? 1 : 0,
    // Age saturates at 60 days: beyond that a task is simply old.
    clamp((t - task.createdAt.getTime()) / DAY_MS, 0, 60) / 30,
    clamp(task.priority, 0, 4) / 4,
    // Two days overdue to a week ahead, in days; 0 when there is no due date (has_due says which).
    dueIn === undefined ? 0 : clamp(dueIn, -48, 168) / 24,
    dueIn === undefined ? 0 : 1,
    dueIn !== undefined && dueIn >= 0 && dueIn <= 24 ? 1 : 0,
    ...KNOWN_SOURCES.map((s) => (task.source === s ? 1 : 0)),
    known ? 0 : 1,
    ...ADVICE_KINDS.map(() => 0),
  ];
}

/**
 * An advice item's raw candidate features, in `CANDIDATE_FEATURES` order.
 *
 * @example
 * adviceFeatures('break');
 */
export function adviceFeatures(kind: AdviceKind): number[] {
  return CANDIDATE_FEATURES.map((name) => (name === `kind_${kind}` ? 1 : 0));
}

/** True for the advice kinds the features know. */
export function isAdviceKind(kind: string): kind is AdviceKind {
  return (ADVICE_KINDS as readonly string[]).includes(kind);
}
