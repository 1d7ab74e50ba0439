import ICAL from 'ical.js';
import type { IcalComponent, IcalTime } from './ics-calendar';

const DAY_MS = 86_400_000;
const PLAIN_DAY = /^(SU|MO|TU|WE|TH|FR|SA)$/;

/**
 * A later DTSTART from which a series' RRULE yields the very same occurrences, so expanding it
 * need not walk years of past ones; null when the rule offers no such shortcut.
 *
 * Only daily and weekly rules qualify, without COUNT (counted from the first occurrence), and
 * with no BY* part but BYDAY (BYMONTH, BYMONTHDAY and the like are not periodic in days). Such a
 * rule repeats every INTERVAL weeks, or INTERVAL days (7 × INTERVAL when BYDAY picks weekdays),
 * in wall-clock terms, so moving DTSTART by whole periods changes nothing after it — provided
 * DTSTART is itself one of the rule's occurrences, which RFC 5545 does not require.
 *
 * @example
 * const from = fastForwardStart(master, event.startDate, Date.parse('2025-03-20T00:00:00Z'));
 * const occurrences = event.iterator(from ?? undefined);
 */
export function fastForwardStart(master: IcalComponent, start: IcalTime, beforeMs: number): IcalTime | null {
  const rules = master.getAllProperties('rrule');
  const rule = rules.length === 1 ? rules[0]?.getFirstValue() : null;
  if (!(rule instanceof ICAL.Recur) || rule.count || (rule.freq !== 'DAILY' && rule.freq !== 'WEEKLY')) return null;
  const { BYDAY: byDay, ...others } = rule.parts;
  if (Object.values(others).some((values) => Array.isArray(values) && values.length > 0)) return null;
  const days = byDay ?? [];
  if (!days.every((day) => PLAIN_DAY.test(day))) return null;
  if (days.length > 0 && !days.includes(ICAL.Recur.numericDayToIcalDay(start.dayOfWeek()))) return null;
  const interval = Math.max(1, rule.interval || 1);
  const periodDays = rule.freq === 'WEEKLY' ? 7 * interval : days.length > 0 ? leastCommonMultiple(interval, 7) : interval;
  const startDay = Date.UTC(start.year, start.month - 1, start.day);
  const periods = Math.floor((beforeMs - startDay) / DAY_MS / periodDays);
  if (periods <= 0) return null;
  const shifted = start.clone();
  shifted.adjust(periods * periodDays, 0, 0, 0);
  return shifted;
}

function leastCommonMultiple(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y !== 0) [x, y] = [y, x % y];
  return (a * b) / x;
}
