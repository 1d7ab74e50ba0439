import {
  changeFromTodoistItem,
  dueFromTodoist,
  minutesFromDuration,
  priorityFromTodoist,
  zonedTimeToInstant,
  type TodoistItem,
} from './todoist-mapping';

const wall = (text: string) => {
  const [date = '', time = '00:00'] = text.split(' ');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return { year, month, day, hour, minute, second: 0, millisecond: 0 };
};

describe('zonedTimeToInstant', () => {
  it.each([
    ['2024-01-15 09:00', 'Europe/Berlin', '2024-01-15T08:00:00.000Z'],
    ['2024-07-15 09:00', 'Europe/Berlin', '2024-07-15T07:00:00.000Z'],
    ['2024-07-15 09:00', 'UTC', '2024-07-15T09:00:00.000Z'],
    ['2024-07-15 00:00', 'Asia/Kolkata', '2024-07-14T18:30:00.000Z'],
    ['2024-07-15 00:00', 'Pacific/Auckland', '2024-07-14T12:00:00.000Z'],
  ])('reads %s in %s as %s', (local, zone, expected) => {
    expect(zonedTimeToInstant(wall(local), zone).toISOString()).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', '2024-03-31 02:30', '2024-03-31T01:30:00.000Z'],
    ['America/New_York', '2024-03-10 02:30', '2024-03-10T07:30:00.000Z'],
    ['Australia/Sydney', '2024-10-06 02:30', '2024-10-05T16:30:00.000Z'],
  ])('moves a time the clocks skipped in %s (%s) forward by the gap', (zone, local, expected) => {
    expect(zonedTimeToInstant(wall(local), zone).toISOString()).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', '2024-10-27 02:30', '2024-10-27T00:30:00.000Z'],
    ['America/New_York', '2024-11-03 01:30', '2024-11-03T05:30:00.000Z'],
    ['Australia/Sydney', '2024-04-07 02:30', '2024-04-06T15:30:00.000Z'],
  ])('takes the earlier of a time that happened twice in %s (%s)', (zone, local, expected) => {
    expect(zonedTimeToInstant(wall(local), zone).toISOString()).toBe(expected);
  });

  it('reads the hours either side of a change with the offset then in force', () => {
    expect(zonedTimeToInstant(wall('2024-03-31 01:59'), 'Europe/Berlin').toISOString()).toBe('2024-03-31T00:59:00.000Z');
    expect(zonedTimeToInstant(wall('2024-03-31 03:00'), 'Europe/Berlin').toISOString()).toBe('2024-03-31T01:00:00.000Z');
    expect(zonedTimeToInstant(wall('2024-10-27 03:00'), 'Europe/Berlin').toISOString()).toBe('2024-10-27T02:00:00.000Z');
  });

  it('keeps seconds and milliseconds', () => {
    const instant = zonedTimeToInstant({ ...wall('2024-01-15 09:00'), second: 7, millisecond: 250 }, 'Europe/Berlin');
    expect(instant.toISOString()).toBe('2024-01-15T08:00:07.250Z');
  });
});

describe('priorityFromTodoist', () => {
  it.each([
    [4, 1],
    [3, 2],
    [2, 3],
    [1, 4],
  ])('turns Todoist priority %i (4 very urgent) into oO priority %i (1 most urgent)', (todoist, ours) => {
    expect(priorityFromTodoist(todoist)).toBe(ours);
  });

  it('treats a missing or unknown priority as normal', () => {
    expect(priorityFromTodoist(undefined)).toBe(4);
    expect(priorityFromTodoist(7)).toBe(4);
  });
});

describe('dueFromTodoist', () => {
  it('places a date without a time at the start of that day in the user’s zone', () => {
    expect(dueFromTodoist({ date: '2016-12-01', timezone: null }, 'Europe/Madrid')).toEqual({ dueAt: new Date('2016-11-30T23:00:00Z'), dueAllDay: true });
  });

  it('prefers the due’s own zone to the user’s', () => {
    expect(dueFromTodoist({ date: '2016-12-01', timezone: 'America/Chicago' }, 'Europe/Madrid')).toEqual({ dueAt: new Date('2016-12-01T06:00:00Z'), dueAllDay: true });
  });

  it('moves a day that starts in a DST gap to its first real minute', () => {
    // Chile springs forward at midnight: 2024-09-08 begins at 01:00 local time.
    expect(dueFromTodoist({ date: '2024-09-08' }, 'America/Santiago')).toEqual({ dueAt: new Date('2024-09-08T04:00:00Z'), dueAllDay: true });
  });

  it('reads a floating time on the user’s clock, with or without microseconds', () => {
    expect(dueFromTodoist({ date: '2016-12-01T12:00:00.000000', timezone: null }, 'Europe/Madrid')).toEqual({ dueAt: new Date('2016-12-01T11:00:00Z'), dueAllDay: false });
    expect(dueFromTodoist({ date: '2016-07-01T12:00:00' }, 'Europe/Madrid')).toEqual({ dueAt: new Date('2016-07-01T10:00:00Z'), dueAllDay: false });
  });

  it('takes a time in UTC as it is, whatever zone it came from', () => {
    expect(dueFromTodoist({ date: '2016-12-06T13:00:00.000000Z', timezone: 'Europe/Madrid' }, 'Asia/Tokyo')).toEqual({
      dueAt: new Date('2016-12-06T13:00:00Z'),
      dueAllDay: false,
    });
  });

  it('falls back to UTC when neither zone is one Intl knows', () => {
    expect(dueFromTodoist({ date: '2016-12-01', timezone: 'Mars/Olympus' }, 'not a zone')).toEqual({ dueAt: new Date('2016-12-01T00:00:00Z'), dueAllDay: true });
  });

  it('counts a missing or unreadable due date as none', () => {
    expect(dueFromTodoist(null, 'UTC')).toEqual({ dueAt: null, dueAllDay: false });
    expect(dueFromTodoist({ date: 'tomorrow' }, 'UTC')).toEqual({ dueAt: null, dueAllDay: false });
    expect(dueFromTodoist({ date: '2016-13-45T99:00:00Z' }, 'UTC')).toEqual({ dueAt: null, dueAllDay: false });
    expect(dueFromTodoist({ date: '2016-13-01T10:00:00' }, 'UTC')).toEqual({ dueAt: null, dueAllDay: false });
    expect(dueFromTodoist({ date: '2016-02-40' }, 'UTC')).toEqual({ dueAt: null, dueAllDay: false });
  });
});

describe('minutesFromDuration', () => {
  it('takes minutes as they are and a day as 24 hours', () => {
    expect(minutesFromDuration({ amount: 15, unit: 'minute' })).toBe(15);
    expect(minutesFromDuration({ amount: 2, unit: 'day' })).toBe(2880);
  });

  it('has no estimate without a positive duration', () => {
    expect(minutesFromDuration(null)).toBeNull();
    expect(minutesFromDuration({ amount: 0, unit: 'minute' })).toBeNull();
  });
});

describe('changeFromTodoistItem', () => {
  const item: TodoistItem = {
    id: '6X7rM8997g3RQmvh',
    content: 'Buy Milk',
    priority: 3,
    due: { date: '2025-01-22T09:30:00', timezone: null, string: 'tomorrow at 9:30', is_recurring: false },
    duration: { amount: 15, unit: 'minute' },
    checked: false,
    is_deleted: false,
    added_at: '2025-01-21T21:28:43.841504Z',
    updated_at: '2025-01-21T21:28:43Z',
  };

  it('turns an open item into the task the recommender sees', () => {
    expect(changeFromTodoistItem(item, 'Europe/Berlin')).toEqual({
      kind: 'upsert',
      task: {
        externalId: '6X7rM8997g3RQmvh',
        title: 'Buy Milk',
        priority: 2,
        dueAt: new Date('2025-01-22T08:30:00Z'),
        dueAllDay: false,
        createdAt: new Date('2025-01-21T21:28:43.841Z'),
        updatedAt: new Date('2025-01-21T21:28:43Z'),
        url: 'https://app.todoist.com/app/task/6X7rM8997g3RQmvh',
        estimatedMinutes: 15,
      },
    });
  });

  it('removes a completed or deleted item from the candidates', () => {
    expect(changeFromTodoistItem({ ...item, checked: true }, 'UTC')).toEqual({ kind: 'delete', externalId: item.id });
    expect(changeFromTodoistItem({ id: item.id, is_deleted: true }, 'UTC')).toEqual({ kind: 'delete', externalId: item.id });
  });

  it('fills what an item leaves out with no due date, normal priority and no dates', () => {
    expect(changeFromTodoistItem({ id: 'abc', content: 'Call Bob' }, 'UTC')).toEqual({
      kind: 'upsert',
      task: {
        externalId: 'abc',
        title: 'Call Bob',
        priority: 4,
        dueAt: null,
        dueAllDay: false,
        createdAt: null,
        updatedAt: null,
        url: 'https://app.todoist.com/app/task/abc',
        estimatedMinutes: null,
      },
    });
  });
});
