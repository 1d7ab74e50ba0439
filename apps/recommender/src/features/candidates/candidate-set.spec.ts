import { CANDIDATE_FEATURES, SCORE_LIMITS } from '@oo/decision-features';
import { applicableAdvice, defaultAdviceLibrary } from '../advice/advice-library';
import { buildCandidates } from './candidate-set';
import type { OpenTask } from './tasks.repository';

const now = new Date('2026-11-23T10:00:00Z');
const task = (id: string, dueInHours: number | null, priority: number): OpenTask => ({
  task_id: id,
  source: 'todoist',
  title: `Title ${id}`,
  due_at: dueInHours === null ? null : new Date(now.getTime() + dueInHours * 3_600_000),
  priority,
  created_at: new Date('2026-11-22T10:00:00Z'),
});
const library = defaultAdviceLibrary();

describe('buildCandidates', () => {
  it('turns tasks into task candidates (wire priority 1 = most urgent) followed by applicable advice', () => {
    const advice = applicableAdvice(library, 10, 1);
    const candidates = buildCandidates([task('a', -2, 1), task('b', 50, 4), task('c', null, 2)], advice, library, now);
    expect(candidates.map((c) => c.tipId)).toEqual(['task:a', 'task:b', 'task:c', ...advice.map((a) => `advice:${a.id}`)]);
    const priority = CANDIDATE_FEATURES.indexOf('priority');
    expect(candidates.slice(0, 3).map((c) => c.features[priority])).toEqual([1, 0.25, 0.75]);
    expect(candidates.slice(0, 3).map((c) => c.body)).toEqual(['Overdue.', 'Due in 2 days.', 'No due date: a good moment to move it forward.']);
    expect(candidates[0]).toMatchObject({ id: 'a', kind: 'task', taskId: 'a', title: 'Title a' });
    expect(candidates[3]).toMatchObject({ kind: advice[0]?.kind, title: advice[0]?.title });
    expect(candidates[3]?.taskId).toBeUndefined();
  });

  it('never offers more candidates than the score API accepts', () => {
    const tasks = Array.from({ length: SCORE_LIMITS.candidates + 5 }, (_, i) => task(`t${i}`, i, 4));
    expect(buildCandidates(tasks, applicableAdvice(library, 10, 1), library, now)).toHaveLength(SCORE_LIMITS.candidates);
  });
});
