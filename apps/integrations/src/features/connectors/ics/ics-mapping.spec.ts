import type { NormalisedTask, TaskChange } from '../connector';
import { parseIcsCalendars } from './ics-calendar';
import { icsPriority, icsTaskChanges } from './ics-mapping';

const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//oO//tests//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const todo = (...lines: string[]) => ['BEGIN:VTODO', 'DTSTAMP:20250301T000000Z', ...lines, 'END:VTODO'];
const changesOf = (text: string, timeZone = 'Europe/Berlin') => icsTaskChanges(parseIcsCalendars(text), timeZone);
const taskOf = (changes: TaskChange[], id: string): NormalisedTask | undefined => {
  const change = changes.find((c) => (c.kind === 'upsert' ? c.task.externalId : c.externalId) === id);
  return change?.kind === 'upsert' ? change.task : undefined;
};

describe('icsTaskChanges', () => {
  it('reads an open VTODO with every field oO uses', () => {
    const text = ics(
      ...todo(
        'UID:passport@example.com',
        'SUMMARY:Renew the passport',
        'PRIORITY:1',
        'DTSTART:20250401T090000Z',
        'DUE:20250401T103000Z',
        'CREATED:20250301T120000Z',
        'LAST-MODIFIED:20250310T080000Z',
        'URL:https://tasks.example.com/passport',
      ),
    );
    expect(changesOf(text)).toEqual([
      {
        kind: 'upsert',
        task: {
          externalId: 'passport@example.com',
          title: 'Renew the passport',
          priority: 1,
          dueAt: new Date('2025-04-01T10:30:00Z'),
          dueAllDay: false,
          createdAt: new Date('2025-03-01T12:00:00Z'),
          updatedAt: new Date('2025-03-10T08:00:00Z'),
          url: 'https://tasks.example.com/passport',
          estimatedMinutes: 90,
        },
      },
    ]);
  });

  it('reads the rest of the feed when one VTODO holds a value that cannot be read', () => {
    const text = ics(...todo('UID:broken', 'SUMMARY:Broken', 'RRULE:FREQ=WEEKLY;UNTIL=garbage', 'DTSTART:20250401T090000Z', 'DUE:2025-04-01T09:00'), ...todo('UID:fine', 'SUMMARY:Fine'));
    expect(taskOf(changesOf(text), 'fine')?.title).toBe('Fine');
  });

  it("reads a date-only DUE as the start of that day in the user's zone", () => {
    const task = taskOf(changesOf(ics(...todo('UID:bins', 'SUMMARY:Put out the bins', 'DUE;VALUE=DATE:20250402')), 'America/New_York'), 'bins');
    expect(task).toMatchObject({ dueAt: new Date('2025-04-02T04:00:00Z'), dueAllDay: true, priority: 4, url: '', estimatedMinutes: null, createdAt: null, updatedAt: null });
  });

  it('reads a DUE with a TZID in that zone, whether the feed defines it or not', () => {
    const text = ics(
      'BEGIN:VTIMEZONE',
      'TZID:Custom Tokyo',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0900',
      'TZOFFSETTO:+0900',
      'END:STANDARD',
      'END:VTIMEZONE',
      ...todo('UID:defined', 'DUE;TZID=Custom Tokyo:20250402T090000'),
      ...todo('UID:undefined', 'DUE;TZID=America/Los_Angeles:20250402T090000'),
      ...todo('UID:floating', 'DUE:20250402T090000'),
    );
    const changes = changesOf(text, 'Europe/Berlin');
    expect(taskOf(changes, 'defined')?.dueAt).toEqual(new Date('2025-04-02T00:00:00Z'));
    expect(taskOf(changes, 'undefined')?.dueAt).toEqual(new Date('2025-04-02T16:00:00Z'));
    expect(taskOf(changes, 'floating')?.dueAt).toEqual(new Date('2025-04-02T07:00:00Z'));
  });

  it('deletes completed and cancelled VTODOs', () => {
    const text = ics(
      ...todo('UID:done', 'SUMMARY:Done', 'STATUS:COMPLETED', 'COMPLETED:20250320T100000Z'),
      ...todo('UID:dropped', 'SUMMARY:Dropped', 'STATUS:CANCELLED'),
      ...todo('UID:ticked', 'SUMMARY:Ticked without a status', 'COMPLETED:20250320T100000Z'),
      ...todo('UID:open', 'SUMMARY:Open', 'STATUS:NEEDS-ACTION', 'PERCENT-COMPLETE:40'),
    );
    expect(changesOf(text).map((c) => (c.kind === 'upsert' ? ['upsert', c.task.externalId] : ['delete', c.externalId]))).toEqual([
      ['delete', 'done'],
      ['delete', 'dropped'],
      ['delete', 'ticked'],
      ['upsert', 'open'],
    ]);
  });

  it('takes the estimate from ESTIMATED-DURATION or DURATION, and not from a window of days', () => {
    const text = ics(
      ...todo('UID:estimated', 'ESTIMATED-DURATION:PT45M', 'DUE;VALUE=DATE:20250402'),
      ...todo('UID:duration', 'DTSTART:20250402T090000Z', 'DURATION:PT2H'),
      ...todo('UID:window', 'DTSTART:20250331T090000Z', 'DUE:20250404T170000Z'),
      ...todo('UID:all-day', 'DTSTART;VALUE=DATE:20250401', 'DUE;VALUE=DATE:20250402'),
    );
    const changes = changesOf(text);
    expect(taskOf(changes, 'estimated')?.estimatedMinutes).toBe(45);
    expect(taskOf(changes, 'duration')).toMatchObject({ estimatedMinutes: 120, dueAt: new Date('2025-04-02T11:00:00Z') });
    expect(taskOf(changes, 'window')?.estimatedMinutes).toBeNull();
    expect(taskOf(changes, 'all-day')?.estimatedMinutes).toBeNull();
  });

  it('keeps only web links', () => {
    expect(taskOf(changesOf(ics(...todo('UID:x', 'URL:javascript:alert(1)'))), 'x')?.url).toBe('');
  });

  it('is one task per recurring VTODO: the next instance its overrides do not mark done', () => {
    const text = ics(
      ...todo('UID:plants', 'SUMMARY:Water the plants', 'DTSTART;VALUE=DATE:20250324', 'DUE;VALUE=DATE:20250325', 'RRULE:FREQ=WEEKLY;COUNT=3'),
      ...todo('UID:plants', 'RECURRENCE-ID;VALUE=DATE:20250324', 'SUMMARY:Water the plants', 'STATUS:COMPLETED', 'DTSTART;VALUE=DATE:20250324', 'DUE;VALUE=DATE:20250325'),
      ...todo('UID:report', 'SUMMARY:Weekly report', 'DTSTART:20250324T080000Z', 'RRULE:FREQ=WEEKLY;COUNT=2'),
      ...todo('UID:report', 'RECURRENCE-ID:20250324T080000Z', 'STATUS:COMPLETED', 'DTSTART:20250324T080000Z'),
      ...todo('UID:report', 'RECURRENCE-ID:20250331T080000Z', 'STATUS:COMPLETED', 'DTSTART:20250331T080000Z'),
    );
    const changes = changesOf(text, 'UTC');
    expect(changes).toHaveLength(2);
    expect(taskOf(changes, 'plants')).toMatchObject({ title: 'Water the plants', dueAt: new Date('2025-04-01T00:00:00Z'), dueAllDay: true });
    expect(changes).toContainEqual({ kind: 'delete', externalId: 'report' });
  });

  it('gives a VTODO without a UID a stable id of its own', () => {
    const text = ics(...todo('SUMMARY:No uid'));
    const [first] = changesOf(text);
    const [again] = changesOf(text);
    expect(first?.kind === 'upsert' && first.task.externalId).toMatch(/^ics-[0-9a-f]{24}$/);
    expect(again).toEqual(first);
  });
});

describe('icsPriority', () => {
  it("maps RFC 5545's high, medium and low onto 1, 2 and 3, and undefined onto 4", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1, null, 'x'].map(icsPriority)).toEqual([4, 1, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
  });
});
