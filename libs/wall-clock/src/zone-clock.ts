const MINUTE = 60_000;

// Building a formatter costs far more than using one; zones are few.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p['year'] ?? 0, month: p['month'] ?? 1, day: p['day'] ?? 1, hour: p['hour'] ?? 0, minute: p['minute'] ?? 0, second: p['second'] ?? 0 };
}

/** Minutes the zone is ahead of UTC at that instant (e.g. 60 for Berlin in winter). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / MINUTE);
}

/** The wall-clock minute of the day (0…1439) at that instant in the zone. */
export function localMinuteOfDay(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  return w.hour * 60 + w.minute;
}

/** The local calendar date at that instant in the zone, as `YYYY-MM-DD`. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * The instant the zone's wall clock shows `minuteOfDay` on the local day `dayOffset` days after
 * the one containing `instant`. Minutes past 1439 run into the next day. A wall-clock time that
 * a spring-forward skips resolves to the instant an hour later on the clock (as most calendars do).
 *
 * @example
 * atWallClock(new Date('2026-12-03T12:00:00Z'), 'Europe/Berlin', 9 * 60) // 2026-12-03T08:00:00Z
 */
export function atWallClock(instant: Date, timeZone: string, minuteOfDay: number, dayOffset = 0): Date {
  const w = wallClock(instant, timeZone);
  const naive = Date.UTC(w.year, w.month - 1, w.day + dayOffset, 0, minuteOfDay);
  // The offset at the guess, then at the answer: two steps settle every real zone's transitions.
  const guess = naive - offsetMinutes(new Date(naive), timeZone) * MINUTE;
  return new Date(naive - offsetMinutes(new Date(guess), timeZone) * MINUTE);
}
