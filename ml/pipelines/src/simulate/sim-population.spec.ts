import { localTime, timeOfDay } from '@oo/decision-features';
import { adviceApplies, adviceCandidate, createPopulation, taskCandidate, type AdviceItem } from './sim-population';

describe('the simulated users', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('are the same for the same seed, and their names and task ids carry the run', () => {
    const a = createPopulation({ seed: 5, users: 10, runId: 'r1', now });
    expect(createPopulation({ seed: 5, users: 10, runId: 'r1', now })).toEqual(a);
    expect(a[3]?.name).toBe('sim-r1-u3');
    expect(a[3]?.tasks[0]?.id).toBe('sim-r1-u3-t0');
    expect(createPopulation({ seed: 6, users: 10, runId: 'r1', now })).not.toEqual(a);
  });

  it('live in timezones that cover every time of day at once', () => {
    const users = createPopulation({ seed: 1, users: 24, runId: 'r', now });
    expect(new Set(users.map((u) => u.timezone)).size).toBe(24);
    const tods = new Set(users.map((u) => timeOfDay(localTime(u.timezone, now).localHour)));
    expect([...tods].sort()).toEqual(['afternoon', 'evening', 'morning', 'night']);
  });

  it('have 3–8 tasks from several sources, with overdue, future and undated ones and priorities 1–4', () => {
    const tasks = createPopulation({ seed: 1, users: 40, runId: 'r', now }).flatMap((u) => u.tasks);
    const perUser = createPopulation({ seed: 1, users: 40, runId: 'r', now }).map((u) => u.tasks.length);
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...perUser)).toBeLessThanOrEqual(8);
    expect(new Set(tasks.map((t) => t.source))).toEqual(new Set(['todoist', 'google_tasks', 'other']));
    expect(new Set(tasks.map((t) => t.priority))).toEqual(new Set([1, 2, 3, 4]));
    expect(tasks.some((t) => t.dueAt === undefined)).toBe(true);
    expect(tasks.some((t) => t.dueAt !== undefined && t.dueAt < now)).toBe(true);
    expect(tasks.some((t) => t.dueAt !== undefined && t.dueAt > now)).toBe(true);
    expect(tasks.every((t) => t.createdAt < now)).toBe(true);
  });

  it('turn tasks and advice into world candidates under the tip ids the recommender uses', () => {
    const task = { id: 't1', source: 'caldav', title: 'x', priority: 1, createdAt: now, dueAt: new Date(now.getTime() - 1) };
    expect(taskCandidate(task, now)).toEqual({ id: 'task:t1', category: 'task:other', overdue: true, urgency: 1 });
    expect(taskCandidate({ ...task, source: 'todoist', priority: 4, dueAt: undefined }, now)).toEqual({ id: 'task:t1', category: 'task:todoist', overdue: false, urgency: 0 });
    expect(adviceCandidate({ id: 'a1', kind: 'break', title: 'x' })).toEqual({ id: 'advice:a1', category: 'advice:break', overdue: false, urgency: 0 });
    expect(adviceCandidate({ id: 'a2', kind: 'gratitude', title: 'x' }).category).toBe('advice:other');
  });
});

describe('advice applicability', () => {
  const item = (appliesWhen: AdviceItem['appliesWhen']): AdviceItem => ({ id: 'a', kind: 'plan', title: 'p', appliesWhen });

  it('reads hours as from ≤ hour < to, wrapping past midnight', () => {
    expect([8, 9, 16, 17].map((h) => adviceApplies(item({ hours: [9, 17] }), h, 1))).toEqual([false, true, true, false]);
    expect([21, 22, 23, 0, 5, 6].map((h) => adviceApplies(item({ hours: [22, 6] }), h, 1))).toEqual([false, true, true, true, true, false]);
    expect(adviceApplies(item({ hours: [0, 0] }), 13, 1)).toBe(true);
  });

  it('reads weekdays as 0 Sunday … 6 Saturday, and no conditions as always', () => {
    expect([0, 1, 6].map((d) => adviceApplies(item({ weekdays: [0, 6] }), 12, d))).toEqual([true, false, true]);
    expect(adviceApplies(item({ weekdays: [1], hours: [9, 12] }), 10, 1)).toBe(true);
    expect(adviceApplies(item({ weekdays: [1], hours: [9, 12] }), 13, 1)).toBe(false);
    expect(adviceApplies(item(undefined), 3, 3)).toBe(true);
  });
});
