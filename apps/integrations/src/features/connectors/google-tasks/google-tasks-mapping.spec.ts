import { googleTaskChange, normaliseGoogleTask, startOfDayIn, type GoogleTask } from './google-tasks-mapping';

const open: GoogleTask = {
  id: 'MTIzNDU2Nzg5',
  title: 'Renew the passport',
  status: 'needsAction',
  updated: '2025-03-01T09:30:12.345Z',
  webViewLink: 'https://tasks.google.com/task/MTIzNDU2Nzg5',
};

describe('google tasks mapping', () => {
  it('maps an open task without a due date onto the normal priority, with its link and last change', () => {
    expect(googleTaskChange(open, 'Europe/Berlin')).toEqual({
      kind: 'upsert',
      task: {
        externalId: 'MTIzNDU2Nzg5',
        title: 'Renew the passport',
        priority: 4,
        dueAt: null,
        dueAllDay: false,
        createdAt: null,
        updatedAt: new Date('2025-03-01T09:30:12.345Z'),
        url: 'https://tasks.google.com/task/MTIzNDU2Nzg5',
        estimatedMinutes: null,
      },
    });
  });

  it('reads a due date as the start of that day in the user’s zone, ignoring the time Google sends', () => {
    const task = normaliseGoogleTask({ ...open, due: '2025-06-10T00:00:00.000Z' }, 'America/Los_Angeles');
    expect(task.dueAt).toEqual(new Date('2025-06-10T07:00:00.000Z'));
    expect(task.dueAllDay).toBe(true);
    // A time other than midnight (older clients wrote one) still means only the date.
    expect(normaliseGoogleTask({ ...open, due: '2025-06-10T18:45:00.000Z' }, 'Asia/Tokyo').dueAt).toEqual(new Date('2025-06-09T15:00:00.000Z'));
  });

  it('keeps the date, not the UTC instant, east and west of Greenwich', () => {
    const due = '2025-01-15T00:00:00.000Z';
    expect(normaliseGoogleTask({ ...open, due }, 'Pacific/Auckland').dueAt).toEqual(new Date('2025-01-14T11:00:00.000Z'));
    expect(normaliseGoogleTask({ ...open, due }, 'Pacific/Honolulu').dueAt).toEqual(new Date('2025-01-15T10:00:00.000Z'));
    expect(normaliseGoogleTask({ ...open, due }, 'UTC').dueAt).toEqual(new Date(due));
  });

  it('starts the days around a DST change at the right offset', () => {
    // Berlin springs forward at 02:00 on 30 March 2025 and falls back at 03:00 on 26 October.
    expect(startOfDayIn('2025-03-29', 'Europe/Berlin')).toEqual(new Date('2025-03-28T23:00:00.000Z'));
    expect(startOfDayIn('2025-03-30', 'Europe/Berlin')).toEqual(new Date('2025-03-29T23:00:00.000Z'));
    expect(startOfDayIn('2025-03-31', 'Europe/Berlin')).toEqual(new Date('2025-03-30T22:00:00.000Z'));
    expect(startOfDayIn('2025-10-26', 'Europe/Berlin')).toEqual(new Date('2025-10-25T22:00:00.000Z'));
    expect(startOfDayIn('2025-10-27', 'Europe/Berlin')).toEqual(new Date('2025-10-26T23:00:00.000Z'));
    // New York changes at 02:00 local, so its midnights are unaffected either side.
    expect(startOfDayIn('2025-03-09', 'America/New_York')).toEqual(new Date('2025-03-09T05:00:00.000Z'));
    expect(startOfDayIn('2025-03-10', 'America/New_York')).toEqual(new Date('2025-03-10T04:00:00.000Z'));
  });

  it('uses the offset of local midnight, not of UTC midnight, when the change falls between them', () => {
    // Auckland changes at 14:00 UTC, after its midnight (11:00 or 12:00 UTC) and before UTC's.
    expect(startOfDayIn('2025-04-06', 'Pacific/Auckland')).toEqual(new Date('2025-04-05T11:00:00.000Z'));
    expect(startOfDayIn('2025-09-28', 'Pacific/Auckland')).toEqual(new Date('2025-09-27T12:00:00.000Z'));
  });

  it('starts a day whose midnight is skipped at the first moment after the jump', () => {
    // Santiago jumped from 00:00 to 01:00 on 8 September 2024: that day began at 01:00 -03.
    expect(startOfDayIn('2024-09-08', 'America/Santiago')).toEqual(new Date('2024-09-08T04:00:00.000Z'));
    // And at what would have been 00:00 on 7 April 2024 it fell back to 23:00 on the 6th: the 7th began at 00:00 -04.
    expect(startOfDayIn('2024-04-07', 'America/Santiago')).toEqual(new Date('2024-04-07T04:00:00.000Z'));
  });

  it('turns completed, cleared and deleted tasks into deletions', () => {
    expect(googleTaskChange({ ...open, status: 'completed', completed: '2025-03-02T10:00:00.000Z' }, 'UTC')).toEqual({ kind: 'delete', externalId: open.id });
    expect(googleTaskChange({ ...open, status: 'completed', hidden: true }, 'UTC')).toEqual({ kind: 'delete', externalId: open.id });
    expect(googleTaskChange({ ...open, deleted: true }, 'UTC')).toEqual({ kind: 'delete', externalId: open.id });
  });

  it('fills what Google leaves out: an untitled task, no link, no readable update time', () => {
    const task = normaliseGoogleTask({ id: 'x', updated: 'not a time' }, 'UTC');
    expect(task).toMatchObject({ title: '', url: '', updatedAt: null, dueAt: null, dueAllDay: false });
  });
});
