import { ConnectorError } from '../connector';
import { icsBusyIntervals } from './ics-busy';
import { parseIcsCalendars } from './ics-calendar';

const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//oO//tests//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');

// Berlin's rules under a name the platform's zone database does not know (as Outlook writes
// them), so only the feed's own definition can place these times.
const OUTLOOK_BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16011028T030000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010325T020000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

const NOW = new Date('2025-03-24T00:00:00Z'); // a Monday; Europe changes to summer time on the 30th
const busyOf = (text: string, window: { horizonDays?: number; timeZone?: string; maxOccurrences?: number } = {}) =>
  icsBusyIntervals(parseIcsCalendars(text), { now: NOW, horizonDays: window.horizonDays ?? 21, timeZone: window.timeZone ?? 'America/New_York', maxOccurrences: window.maxOccurrences }).map(
    (b) => [b.externalId, b.startsAt.toISOString(), b.endsAt.toISOString(), b.title],
  );

describe('icsBusyIntervals', () => {
  it('expands a weekly series in a VTIMEZONE zone across a DST change, with an EXDATE and overridden occurrences', () => {
    const text = ics(
      ...OUTLOOK_BERLIN,
      'BEGIN:VEVENT',
      'UID:planning@example.com',
      'DTSTAMP:20250301T000000Z',
      'SUMMARY:Planning',
      'DTSTART;TZID=W. Europe Standard Time:20250305T090000',
      'DTEND;TZID=W. Europe Standard Time:20250305T100000',
      'RRULE:FREQ=WEEKLY;BYDAY=WE',
      'EXDATE;TZID=W. Europe Standard Time:20250402T090000',
      'END:VEVENT',
      // Moved to the afternoon, and retitled.
      'BEGIN:VEVENT',
      'UID:planning@example.com',
      'DTSTAMP:20250301T000000Z',
      'RECURRENCE-ID;TZID=W. Europe Standard Time:20250409T090000',
      'SUMMARY:Planning (moved)',
      'DTSTART;TZID=W. Europe Standard Time:20250409T140000',
      'DTEND;TZID=W. Europe Standard Time:20250409T150000',
      'END:VEVENT',
      // Moved from beyond the window into it.
      'BEGIN:VEVENT',
      'UID:planning@example.com',
      'DTSTAMP:20250301T000000Z',
      'RECURRENCE-ID;TZID=W. Europe Standard Time:20250416T090000',
      'SUMMARY:Planning (early)',
      'DTSTART;TZID=W. Europe Standard Time:20250411T090000',
      'DTEND;TZID=W. Europe Standard Time:20250411T093000',
      'END:VEVENT',
    );
    expect(busyOf(text)).toEqual([
      ['planning@example.com#2025-03-26T08:00:00.000Z', '2025-03-26T08:00:00.000Z', '2025-03-26T09:00:00.000Z', 'Planning'],
      ['planning@example.com#2025-04-09T07:00:00.000Z', '2025-04-09T12:00:00.000Z', '2025-04-09T13:00:00.000Z', 'Planning (moved)'],
      ['planning@example.com#2025-04-16T07:00:00.000Z', '2025-04-11T07:00:00.000Z', '2025-04-11T07:30:00.000Z', 'Planning (early)'],
    ]);
  });

  it('leaves out an occurrence cancelled by its override, and a series cancelled as a whole', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:standup',
      'SUMMARY:Stand-up',
      'DTSTART:20250324T140000Z',
      'DURATION:PT15M',
      'RRULE:FREQ=DAILY;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:standup',
      'RECURRENCE-ID:20250325T140000Z',
      'STATUS:CANCELLED',
      'DTSTART:20250325T140000Z',
      'DURATION:PT15M',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:gone',
      'STATUS:CANCELLED',
      'DTSTART:20250324T100000Z',
      'RRULE:FREQ=DAILY',
      'DURATION:PT1H',
      'END:VEVENT',
    );
    expect(busyOf(text).map(([id]) => id)).toEqual(['standup#2025-03-24T14:00:00.000Z', 'standup#2025-03-26T14:00:00.000Z']);
  });

  it("places an all-day event on the user's day, and a floating event in the user's zone", () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:offsite',
      'SUMMARY:Offsite',
      'DTSTART;VALUE=DATE:20250325',
      'DTEND;VALUE=DATE:20250327',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:holiday',
      'SUMMARY:Holiday',
      'DTSTART;VALUE=DATE:20250328',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:dentist',
      'SUMMARY:Dentist',
      'DTSTART:20250325T100000',
      'DTEND:20250325T110000',
      'END:VEVENT',
    );
    expect(busyOf(text, { timeZone: 'America/New_York' })).toEqual([
      ['offsite', '2025-03-25T04:00:00.000Z', '2025-03-27T04:00:00.000Z', 'Offsite'],
      ['dentist', '2025-03-25T14:00:00.000Z', '2025-03-25T15:00:00.000Z', 'Dentist'],
      ['holiday', '2025-03-28T04:00:00.000Z', '2025-03-29T04:00:00.000Z', 'Holiday'],
    ]);
  });

  it('reads a TZID the feed does not define as an IANA zone', () => {
    const text = ics('BEGIN:VEVENT', 'UID:call', 'SUMMARY:Call', 'DTSTART;TZID=Europe/Paris:20250401T090000', 'DTEND;TZID=Europe/Paris:20250401T093000', 'END:VEVENT');
    expect(busyOf(text)).toEqual([['call', '2025-04-01T07:00:00.000Z', '2025-04-01T07:30:00.000Z', 'Call']]);
  });

  it('leaves out transparent events, events of no length, and anything outside the window', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:free',
      'TRANSP:TRANSPARENT',
      'DTSTART:20250325T100000Z',
      'DTEND:20250325T110000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:reminder',
      'DTSTART:20250325T100000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:past',
      'DTSTART:20250323T100000Z',
      'DTEND:20250323T110000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:overnight',
      'SUMMARY:Night train',
      'DTSTART:20250323T220000Z',
      'DTEND:20250324T060000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:later',
      'DTSTART:20250501T100000Z',
      'DTEND:20250501T110000Z',
      'END:VEVENT',
    );
    expect(busyOf(text).map(([id]) => id)).toEqual(['overnight']);
  });

  it('reaches today through a weekday series that began years ago, at its wall-clock time across the DST change', () => {
    const text = ics(
      ...OUTLOOK_BERLIN,
      'BEGIN:VEVENT',
      'UID:standup',
      'DTSTART;TZID=W. Europe Standard Time:20100104T093000',
      'DTEND;TZID=W. Europe Standard Time:20100104T094500',
      'RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
      'END:VEVENT',
    );
    const starts = busyOf(text, { horizonDays: 8 }).map(([, start]) => start);
    expect(starts).toEqual([
      '2025-03-24T08:30:00.000Z',
      '2025-03-25T08:30:00.000Z',
      '2025-03-26T08:30:00.000Z',
      '2025-03-27T08:30:00.000Z',
      '2025-03-28T08:30:00.000Z',
      '2025-03-31T07:30:00.000Z',
    ]);
  });

  it('reaches today through a long-running series, and caps what one event contributes', () => {
    const text = ics('BEGIN:VEVENT', 'UID:pomodoro', 'DTSTART:20200101T000000Z', 'DURATION:PT25M', 'RRULE:FREQ=HOURLY;INTERVAL=12', 'END:VEVENT');
    const busy = busyOf(text, { horizonDays: 14, maxOccurrences: 5 });
    expect(busy.map(([, start]) => start)).toEqual(['2025-03-24T00:00:00.000Z', '2025-03-24T12:00:00.000Z', '2025-03-25T00:00:00.000Z', '2025-03-25T12:00:00.000Z', '2025-03-26T00:00:00.000Z']);
  });
});

describe('parseIcsCalendars', () => {
  const failure = (text: string) => {
    try {
      parseIcsCalendars(text);
    } catch (error) {
      return error instanceof ConnectorError ? [error.failure, error.message] : error;
    }
    return null;
  };

  it('refuses what is not iCalendar with a message that says what came instead', () => {
    expect(failure('<!doctype html><html><body>Sign in</body></html>')).toEqual(['invalid', expect.stringContaining('web page')]);
    expect(failure('{"events":[]}')).toEqual(['invalid', expect.stringContaining('BEGIN:VCALENDAR')]);
    expect(failure('BEGIN:VCALENDAR\r\nthis line has no colon\r\nEND:VCALENDAR\r\n')).toEqual(['invalid', expect.stringContaining('not valid iCalendar')]);
  });

  it('reads a feed with a byte-order mark, LF line endings and several calendars', () => {
    const one = ics('BEGIN:VEVENT', 'UID:a', 'DTSTART:20250325T100000Z', 'DTEND:20250325T110000Z', 'END:VEVENT');
    const two = ics('BEGIN:VEVENT', 'UID:b', 'DTSTART:20250326T100000Z', 'DTEND:20250326T110000Z', 'END:VEVENT');
    const calendars = parseIcsCalendars(`\uFEFF${one}${two}`.replace(/\r\n/g, '\n'));
    expect(busyOf(`${one}${two}`).map(([id]) => id)).toEqual(['a', 'b']);
    expect(calendars).toHaveLength(2);
  });
});
