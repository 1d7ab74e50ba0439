import ICAL from 'ical.js';
import { parseIcsCalendars } from './ics-calendar';
import { fastForwardStart } from './ics-recurrence';

const CUTOFF = Date.parse('2025-03-20T00:00:00Z');

function seriesOf(start: string, rule: string) {
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:s', `DTSTART;TZID=America/New_York:${start}`, 'DURATION:PT1H', `RRULE:${rule}`, 'EXDATE;TZID=America/New_York:20250402T093000', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const master = parseIcsCalendars(text)[0]?.getFirstSubcomponent('vevent');
  if (!master) throw new Error('the fixture has no VEVENT');
  return { master, event: new ICAL.Event(master, { exceptions: [] }) };
}

function occurrencesAfter(iterator: ICAL.RecurExpansion, count: number): string[] {
  const found: string[] = [];
  for (let next = iterator.next(); next && found.length < count; next = iterator.next()) {
    // Floating here (the zone is not defined in the feed), so the wall clock read as UTC orders them.
    if (next.toUnixTime() * 1000 >= CUTOFF) found.push(next.toString());
  }
  return found;
}

describe('fastForwardStart', () => {
  it.each([
    ['20180305T093000', 'FREQ=DAILY'],
    ['20180305T093000', 'FREQ=DAILY;INTERVAL=3'],
    ['20180305T093000', 'FREQ=DAILY;INTERVAL=2;BYDAY=MO,WE,FR'],
    ['20180305T093000', 'FREQ=WEEKLY;BYDAY=MO,WE'],
    ['20180305T093000', 'FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=MO,TH'],
    ['20180305T093000', 'FREQ=WEEKLY;INTERVAL=3;UNTIL=20250601T000000Z'],
  ])('gives the same occurrences from %s with %s', (start, rule) => {
    const { master, event } = seriesOf(start, rule);
    const shifted = fastForwardStart(master, event.startDate, CUTOFF - 2 * 86_400_000);
    if (!shifted) throw new Error(`no shortcut for ${rule}`);
    expect(shifted.toUnixTime() * 1000).toBeLessThan(CUTOFF);
    expect(shifted.year).toBe(2025);
    expect(occurrencesAfter(event.iterator(shifted), 12)).toEqual(occurrencesAfter(event.iterator(), 12));
  });

  it.each([
    ['a COUNT', '20180305T093000', 'FREQ=DAILY;COUNT=5000'],
    ['a monthly rule', '20180305T093000', 'FREQ=MONTHLY;BYDAY=1MO'],
    ['a BYMONTH part', '20180305T093000', 'FREQ=WEEKLY;BYMONTH=3,4'],
    ['a DTSTART the rule does not match', '20180304T093000', 'FREQ=WEEKLY;BYDAY=MO'],
    ['a start less than a period back', '20250314T093000', 'FREQ=WEEKLY'],
  ])('offers no shortcut for %s', (_what, start, rule) => {
    const { master, event } = seriesOf(start, rule);
    expect(fastForwardStart(master, event.startDate, CUTOFF - 2 * 86_400_000)).toBeNull();
  });
});
