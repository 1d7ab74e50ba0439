import type { components } from '@oo/api-client';

export type TipContent = components['schemas']['TipContent'];

const KIND_NAMES: Record<string, string> = {
  task: 'A task of yours',
  break: 'A break',
  plan: 'Planning',
  focus: 'Focus',
  reflect: 'Reflection',
};

/** What kind of tip this is, in words. */
export function kindName(kind: string): string {
  return KIND_NAMES[kind] ?? kind.replaceAll('_', ' ');
}

// The recommender writes a task's line from its due date ("Overdue.", "Due within a day.",
// "Due in 3 days.", "No due date: …"); these turn it into why the task was picked.
const TASK_REASONS: [RegExp, (match: RegExpMatchArray) => string][] = [
  [/^Overdue/, () => 'It is overdue, so it comes before the rest.'],
  [/^Due within a day/, () => 'It is due within a day.'],
  [/^Due in (\d+) days/, (m) => `It is due in ${m[1]} days, sooner than most of your list.`],
  [/^No due date/, () => 'Nothing on your list is due sooner, and this one has waited.'],
];

/**
 * Why the tip was chosen, in plain words, from what the decision tells: the task's due date, or,
 * for advice, that it suits this time of day and nothing on the list is more pressing.
 *
 * @example
 * reasonFor({ id: 'task:1', kind: 'task', title: 'Pay rent', body: 'Overdue.' }) // 'It is overdue, …'
 */
export function reasonFor(tip: TipContent): string {
  if (tip.kind === 'task') {
    for (const [pattern, words] of TASK_REASONS) {
      const match = tip.body.match(pattern);
      if (match) return words(match);
    }
    return 'It is the most pressing of your open tasks.';
  }
  return 'It suits this time of your day, and none of your tasks is more pressing now.';
}
