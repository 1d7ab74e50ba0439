import {
  CANDIDATE_FEATURES,
  CONTEXT_FEATURES,
  adviceFeatures,
  contextVector,
  createDecisionFeaturizer,
  localTime,
  scoreRequestSchema,
  taskFeatures,
  type DecisionContextInput,
} from '../src';

const now = new Date('2026-03-02T10:00:00Z');
const hoursFromNow = (h: number) => new Date(now.getTime() + h * 3_600_000);
const named = (values: number[]) => Object.fromEntries(CANDIDATE_FEATURES.map((n, i) => [n, values[i]]));

const context: DecisionContextInput = {
  features: [
    { name: 'completion_rate_30d', value: 0.5, status: 'fresh' },
    { name: 'preferred_hour', value: 9, status: 'recomputed' },
    { name: 'favourite_tip_kind_30d', value: 'task', status: 'fresh' },
  ],
  timezone: 'Europe/Berlin',
  localHour: 10,
  localWeekday: 1,
};

describe('candidate features', () => {
  it('describes an overdue urgent todoist task', () => {
    const f = named(taskFeatures({ source: 'todoist', createdAt: hoursFromNow(-24 * 15), dueAt: hoursFromNow(-12), priority: 4 }, now));
    expect(f).toMatchObject({ is_task: 1, is_overdue: 1, task_age_days: 0.5, priority: 1, due_in_hours: -0.5, has_due: 1, due_soon: 0 });
    expect(f).toMatchObject({ source_todoist: 1, source_google_tasks: 0, source_other: 0, kind_break: 0 });
  });

  it('clamps far-away due dates and marks tasks due within a day', () => {
    expect(named(taskFeatures({ source: 'x', createdAt: now, dueAt: hoursFromNow(24 * 30), priority: 1 }, now))['due_in_hours']).toBe(7);
    const soon = named(taskFeatures({ source: 'caldav', createdAt: now, dueAt: hoursFromNow(3), priority: 0 }, now));
    expect(soon).toMatchObject({ due_soon: 1, is_overdue: 0, source_other: 1 });
  });

  it('gives a task without a due date no due features', () => {
    const f = named(taskFeatures({ source: 'google_tasks', createdAt: now, dueAt: null, priority: 2 }, now));
    expect(f).toMatchObject({ has_due: 0, due_in_hours: 0, is_overdue: 0, source_google_tasks: 1 });
  });

  it('one-hot encodes advice kinds and nothing else', () => {
    const f = adviceFeatures('focus');
    expect(f).toHaveLength(CANDIDATE_FEATURES.length);
    expect(f.reduce((a, b) => a + b, 0)).toBe(1);
    expect(named(f)['kind_focus']).toBe(1);
  });
});

describe('context features', () => {
  it('reads time of day, weekend and profile features', () => {
    const x = Object.fromEntries(CONTEXT_FEATURES.map((n, i) => [n, contextVector(context)[i]]));
    expect(x).toEqual({
      tod_morning: 1,
      tod_afternoon: 0,
      tod_evening: 0,
      tod_night: 0,
      is_weekend: 0,
      completion_rate_30d: 0.5,
      dismiss_rate_30d: 0,
      near_preferred_hour: 1,
      tip_volume_30d: 0,
    });
  });

  it('treats the hours around midnight as neighbours of the preferred hour', () => {
    const late = { ...context, localHour: 0, localWeekday: 6, features: [{ name: 'preferred_hour', value: 23, status: 'fresh' as const }] };
    const x = contextVector(late);
    expect(x[CONTEXT_FEATURES.indexOf('near_preferred_hour')]).toBe(1);
    expect(x[CONTEXT_FEATURES.indexOf('tod_night')]).toBe(1);
    expect(x[CONTEXT_FEATURES.indexOf('is_weekend')]).toBe(1);
  });

  it('computes the local hour and weekday in a timezone', () => {
    expect(localTime('Asia/Tokyo', new Date('2026-01-04T23:30:00Z'))).toEqual({ localHour: 8, localWeekday: 1 });
    expect(localTime('America/New_York', new Date('2026-01-05T03:00:00Z'))).toEqual({ localHour: 22, localWeekday: 0 });
  });
});

describe('decision featurizer', () => {
  const featurizer = createDecisionFeaturizer();
  const task = taskFeatures({ source: 'todoist', createdAt: now, dueAt: hoursFromNow(-1), priority: 3 }, now);

  it('builds model vectors with the morning interaction of an overdue task', () => {
    const [x] = featurizer.vectors(CANDIDATE_FEATURES, [task], context);
    const names = featurizer.builder.layout.names;
    expect(x?.[names.indexOf('cand.is_overdue*ctx.tod_morning')]).toBe(1);
    expect(x?.[names.indexOf('cand.is_overdue*ctx.tod_evening')]).toBe(0);
    expect(names.length).toBeLessThan(100);
  });

  it('reads a logged decision whose candidate layout is ordered differently or lacks features', () => {
    const reversed = [...CANDIDATE_FEATURES].reverse();
    const [a] = featurizer.vectors(CANDIDATE_FEATURES, [task], context);
    const [b] = featurizer.vectors(reversed, [[...task].reverse()], context);
    expect(Array.from(b ?? [])).toEqual(Array.from(a ?? []));
    const [c] = featurizer.vectors(['is_task', 'is_overdue'], [[1, 1]], context);
    expect(c?.[featurizer.builder.layout.names.indexOf('cand.priority')]).toBe(0);
  });
});

describe('score request schema', () => {
  const valid = {
    userId: 'u1',
    decisionId: 'd1',
    candidates: [{ id: 'task:1', features: adviceFeatures('break') }],
    context,
    policies: ['linucb'],
  };

  it('defaults the candidate feature names to the current layout', () => {
    expect(scoreRequestSchema.parse(valid).candidateFeatures).toEqual(CANDIDATE_FEATURES);
  });

  it('names the candidate whose vector has the wrong length', () => {
    const result = scoreRequestSchema.safeParse({ ...valid, candidates: [...valid.candidates, { id: 'x', features: [1] }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['candidates', 1, 'features']);
  });

  it('rejects no candidates, no policies and an hour out of range', () => {
    for (const bad of [{ candidates: [] }, { policies: [] }, { context: { ...context, localHour: 24 } }]) {
      expect(scoreRequestSchema.safeParse({ ...valid, ...bad }).success).toBe(false);
    }
  });
});
