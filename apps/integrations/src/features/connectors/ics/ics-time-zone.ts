// ical.js knows the zones a feed defines in its VTIMEZONEs, UTC, and "floating" (no zone). It has
// no zone database, so wall-clock times that belong to an IANA zone it was not given (floating
// times and dates, read in the user's zone, or a TZID the feed forgot to define) go through the
// platform's Intl instead.

/** A wall-clock reading: month 1…12, as iCalendar writes it. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Whether the platform knows an IANA time zone by this name.
 *
 * @example
 * isKnownTimeZone('Europe/Berlin') // true
 * isKnownTimeZone('W. Europe Standard Time') // false
 */
export function isKnownTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

/**
 * How far a zone's clocks are ahead of UTC at an instant, in milliseconds.
 *
 * @example
 * utcOffsetMs('Europe/Berlin', Date.parse('2025-07-01T12:00:00Z')) // 7_200_000
 */
export function utcOffsetMs(timeZone: string, instantMs: number): number {
  const formatter = formatterFor(timeZone);
  if (!formatter) throw new RangeError(`unknown time zone ${timeZone}`);
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instantMs)) parts[part.type] = part.value;
  const year = Number(parts['year']) * (parts['era'] === 'BC' ? -1 : 1);
  const wall = utcFields(year, Number(parts['month']), Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  // Intl reads whole seconds; the instant's own milliseconds are not part of the offset.
  return wall - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock reading names in a time zone, as RFC 5545 §3.3.5 reads local times:
 * a time that occurs twice (clocks going back) is its first occurrence, and a time skipped by
 * clocks going forward is read with the offset before the gap (02:30 becomes 03:30 in summer time).
 *
 * @example
 * wallClockToInstant({ year: 2025, month: 3, day: 30, hour: 2, minute: 30 }, 'Europe/Berlin')
 * // 2025-03-30T01:30:00.000Z (03:30 CEST)
 */
export function wallClockToInstant(wall: WallClock, timeZone: string): Date {
  const asUtc = utcFields(wall.year, wall.month, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0);
  // Zones change their offset far less than once a day, so the offsets a day either side are
  // the only candidates for this reading.
  const before = utcOffsetMs(timeZone, asUtc - DAY_MS);
  const after = utcOffsetMs(timeZone, asUtc + DAY_MS);
  const fits = [before, after].map((offset) => asUtc - offset).filter((instant) => utcOffsetMs(timeZone, instant) === asUtc - instant);
  return new Date(fits.length > 0 ? Math.min(...fits) : asUtc - before);
}

/**
 * The first instant of a calendar day in a time zone (local midnight, or the first moment after
 * a DST jump at midnight).
 *
 * @example
 * startOfDay({ year: 2025, month: 3, day: 30 }, 'America/New_York') // 2025-03-30T04:00:00.000Z
 */
export function startOfDay(date: WallClock, timeZone: string): Date {
  return wallClockToInstant({ year: date.year, month: date.month, day: date.day }, timeZone);
}

function utcFields(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0…99 as 1900…1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}
