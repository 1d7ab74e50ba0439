import { SCORE_LIMITS, taskFeatures } from '@oo/decision-features';
import type { AdviceItem, AdviceLibrary } from '../advice/advice-library';
import type { OpenTask } from './tasks.repository';

/** One thing the policy could suggest, with what the client is shown if it is chosen. */
export interface Candidate {
  /** `task:<taskId>` or `advice:<adviceId>`: the tip's id as clients see it. */
  tipId: string;
  /** The task id or the advice id (TipCandidate.candidate_id). */
  id: string;
  /** `task`, or the advice item's kind (`break`, `plan`, `focus`, `reflect`). */
  kind: string;
  taskId?: string;
  /** Raw features in CANDIDATE_FEATURES order. */
  features: readonly number[];
  title: string;
  body: string;
}

const HOUR_MS = 3_600_000;

// A short line under the task's title; the client may replace it with a localised one.
function taskBody(dueAt: Date | null, now: Date): string {
  if (!dueAt) return 'No due date: a good moment to move it forward.';
  const hours = (dueAt.getTime() - now.getTime()) / HOUR_MS;
  if (hours < 0) return 'Overdue.';
  if (hours <= 24) return 'Due within a day.';
  const days = Math.round(hours / 24);
  return `Due in ${days} days.`;
}

/**
 * The decision's candidates: open tasks (already the most pressing, in that order) then the
 * advice that applies now; never more than the score API accepts.
 *
 * @example
 * const candidates = buildCandidates(tasks, applicableAdvice(library, 9, 1), library, now);
 */
export function buildCandidates(tasks: readonly OpenTask[], advice: readonly AdviceItem[], library: AdviceLibrary, now: Date): Candidate[] {
  const fromTasks = tasks.map(
    (task): Candidate => ({
      tipId: `task:${task.task_id}`,
      id: task.task_id,
      kind: 'task',
      taskId: task.task_id,
      // The features count priority 4 as urgent; the wire (and this table) counts 1 as urgent.
      features: taskFeatures({ source: task.source, createdAt: task.created_at, dueAt: task.due_at, priority: 5 - task.priority }, now),
      title: task.title,
      body: taskBody(task.due_at, now),
    }),
  );
  const fromAdvice = advice.map(
    (item): Candidate => ({
      tipId: `advice:${item.id}`,
      id: item.id,
      kind: item.kind,
      features: library.features.get(item.id) ?? [],
      title: item.title,
      body: item.body,
    }),
  );
  return [...fromTasks, ...fromAdvice].slice(0, SCORE_LIMITS.candidates);
}
