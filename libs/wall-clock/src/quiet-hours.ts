import { localMinuteOfDay, offsetMinutes } from './zone-clock';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When the quiet window the user is in ends, or null when `now` is outside it. Quiet hours are
 * wall-clock times in the user's zone (`22:00`–`07:00` spans midnight); the end is found on the
 * wall clock, so a daylight-saving change inside the window moves the instant, not the hour.
 *
 * @example
 * quietUntil(new Date('2026-12-02T22:30:00Z'), 'Europe/Berlin', '22:00', '07:00') // 2026-12-03T06:00:00Z
 */
export function quietUntil(now: Date, timeZone: string, start: string | null, end: string | null): Date | null {
  if (!start || !end || start === end) return null;
  const local = localMinuteOfDay(now, timeZone);
  const from = toMinutes(start);
  const to = toMinutes(end);
  const inside = from < to ? local >= from && local < to : local >= from || local < to;
  if (!inside) return null;
  const ahead = (to - local + DAY_MINUTES) % DAY_MINUTES;
  const naive = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE + ahead * MINUTE);
  // Across a DST change the same wall-clock time is an hour nearer or further.
  return new Date(naive.getTime() + (offsetMinutes(now, timeZone) - offsetMinutes(naive, timeZone)) * MINUTE);
}
